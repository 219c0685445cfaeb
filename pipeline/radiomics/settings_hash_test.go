package radiomics

import (
	"reflect"
	"testing"
)

// hashExempt lists the Settings fields that Hash leaves out on purpose, with
// the reason. Every other field must change the hash: the resume sidecar and
// the shard merge trust the hash to say two tables were made the same way.
var hashExempt = map[string]string{
	"PadDistance": "accepted for pyradiomics compatibility; no effect on values",
	"PreCrop":     "accepted for pyradiomics compatibility; no effect on values",
}

// TestSettingsHashCoversEveryField changes each field of Settings in turn,
// by reflection, so a field added later and forgotten in Hash fails here.
func TestSettingsHashCoversEveryField(t *testing.T) {
	base := Settings{}
	h0 := base.Hash()
	typ := reflect.TypeOf(base)
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		if _, ok := hashExempt[f.Name]; ok {
			continue
		}
		s := base
		v := reflect.ValueOf(&s).Elem().Field(i)
		if !mutate(v) {
			t.Errorf("Settings.%s: the test cannot vary a %s; teach mutate this kind", f.Name, f.Type)
			continue
		}
		if s.Hash() == h0 {
			t.Errorf("Settings.%s changed but Hash did not: add it to Hash (or to hashExempt with a reason)", f.Name)
		}
	}
	for name := range hashExempt {
		if _, ok := typ.FieldByName(name); !ok {
			t.Errorf("hashExempt names %s, which Settings no longer has", name)
		}
	}
}

// mutate sets v to a non-zero value of its kind that differs from the zero
// value in every way Hash could print it; it reports false for a kind it
// does not know.
func mutate(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 3)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 3)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 3.25)
	case reflect.String:
		v.SetString(v.String() + "glcm")
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		if !mutate(s.Index(0)) {
			return false
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		e := reflect.New(v.Type().Elem()).Elem()
		if !mutate(k) || !mutate(e) {
			return false
		}
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		done := false
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && mutate(v.Field(i)) {
				done = true
			}
		}
		return done
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if !mutate(p.Elem()) {
			return false
		}
		v.Set(p)
	default:
		return false
	}
	return true
}
