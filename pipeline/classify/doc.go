// Package classify fits the paper's six classifiers to a feature table and
// predicts the probability of a good prognosis (Lin et al., Sci Rep 2025,
// Methods, "Model construction": logistic regression, SVM, random forest,
// naive Bayes, MLP and LightGBM, tuned by grid search on the 70 % training
// split).
//
// # Contract
//
// Every model follows one contract, scikit-learn's estimator contract in
// idiomatic Go:
//
//   - An Estimator is a plain struct of hyperparameters. Every field's zero
//     value is a documented default, which is scikit-learn's default for the
//     counterpart class, so LogisticRegression{} is sklearn's
//     LogisticRegression().
//   - Fit(X, y) validates its input and returns a fitted, immutable Model;
//     there is no "not fitted" state. X is row-major (X[i][j] is feature j of
//     sample i), y holds 0 or 1 and must contain both classes.
//   - Model.PredictProba(X) returns P(class 1 | x) for each row: class 0 is
//     the negative class, class 1 the positive one (in scirad, 1 = good
//     prognosis).
//   - Every random choice takes an explicit Seed field; the same seed gives
//     the same model, bit for bit. There is no global random source.
//   - Data problems (NaN, ragged rows, one class, a feature-count mismatch at
//     predict time) are returned as errors; panics mean programmer error.
//
// Fitted models marshal to JSON in one envelope, {"model":"rf","params":…}
// (Marshal), and Unmarshal reads any of them back with identical
// predictions (the browser demo loads models this way).
//
// # Tables and z-scoring
//
// Standardize fits a z-score Scaler (scikit-learn's StandardScaler).
// Standardized{Model: est} is an Estimator that learns the scaler on its
// training rows, so resampling code scales inside each fold; its model is a
// Pipeline. FitTable and SearchTable fit on a feature table and keep the
// feature names, so Pipeline.PredictTable takes the test columns by name and
// refuses a table that lacks one (`scirad classify` works this way).
//
// # Importance
//
// ForestModel.Importance is the impurity importance and ForestModel.OOBScore
// the out-of-bag accuracy; PermutationImportance works for any model.
//
// # Models (one file each)
//
//	lr    LogisticRegression  logistic.go  L2, C = 1, L-BFGS, intercept unpenalised
//	svm   SVM                 svm.go       libsvm SMO (WSS3), RBF or linear, Platt probabilities
//	rf    RandomForest        forest.go    CART (Gini), bootstrap, max_features sqrt, 100 trees
//	nb    GaussianNB          bayes.go     var_smoothing 1e-9, priors from data
//	mlp   MLP                 mlp.go       100 ReLU, Adam lr 1e-3, L2 alpha 1e-4, Glorot init
//	gbdt  GBDT                gbdt.go      LightGBM-style histogram, leaf-wise, 31 leaves
//
// # Grid search
//
// GridSearchCV scores every point of a model's grid (Grid) by the mean AUC of
// stratified k-fold cross-validation (default 5 folds) on the training set and
// refits the best point on all of it; ties go to the earlier grid point. The
// grids, small enough that 6 models × 7 signatures run in seconds on two
// cores, are:
//
//	lr    C ∈ {0.01, 0.1, 1, 10, 100}
//	svm   rbf: C ∈ {0.1, 1, 10} × gamma ∈ {scale, 0.01, 0.1}; linear: C ∈ {0.1, 1, 10}
//	rf    max_depth ∈ {none, 3, 5} × min_samples_leaf ∈ {1, 3} (100 trees, sqrt features)
//	nb    var_smoothing ∈ {1e-9, 1e-7, 1e-5, 1e-3, 1e-1}
//	mlp   hidden ∈ {50, 100} × alpha ∈ {1e-4, 1e-2, 1}
//	gbdt  learning_rate ∈ {0.05, 0.1} × num_leaves ∈ {4, 31} × min_data_in_leaf ∈ {5, 20}
//
// StratifiedSplit is the paper's seeded stratified 70/30 split.
//
// # Agreement with scikit-learn 1.2.1 (tests, testdata/classify)
//
// On the Wisconsin breast-cancer data (fixed stratified 70/30 split,
// z-scored): LogisticRegression, GaussianNB and
// HistGradientBoostingClassifier probabilities agree to 1e-6 (measured
// 1e-11, 3e-15, 2e-9); the SVM decision function agrees with libsvm's
// (tol 1e-8, no shrinking) to 1e-5 (measured 2e-7); ten Adam epochs of
// the MLP from scikit-learn's own initial weights agree to 1e-9 (measured
// 2e-15); a depth-3 CART tree has the same leaves and importances. Random
// streams differ from numpy's, so the forest, the Platt folds and the MLP's
// initial weights and shuffles are not scikit-learn's: for those the test
// is each model's test AUC within 0.02 of its counterpart's.
//
// Deviations: the SVM solver never shrinks (libsvm's shrinking only saves
// time) and holds the whole kernel matrix (at most 10 000 rows); logistic
// regression polishes the L-BFGS optimum with Newton steps.
//
// References:
//
//  1. F. Pedregosa et al., Scikit-learn: Machine Learning in Python, JMLR 12 (2011).
//  2. C.-C. Chang, C.-J. Lin, LIBSVM: a library for support vector machines,
//     ACM TIST 2 (2011); R.-E. Fan, P.-H. Chen, C.-J. Lin, Working set selection
//     using second order information, JMLR 6 (2005).
//  3. H.-T. Lin, C.-J. Lin, R. C. Weng, A note on Platt's probabilistic outputs
//     for support vector machines, Machine Learning 68 (2007).
//  4. L. Breiman, Random forests, Machine Learning 45 (2001).
//  5. G. Ke et al., LightGBM: a highly efficient gradient boosting decision
//     tree, NeurIPS 2017.
//  6. X. Glorot, Y. Bengio, Understanding the difficulty of training deep
//     feedforward neural networks, AISTATS 2010; D. P. Kingma, J. Ba, Adam,
//     ICLR 2015.
package classify
