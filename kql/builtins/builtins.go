// Package builtins is the registry of KQL's built-in scalar and aggregate
// functions as the analyzer sees them: names, aliases, argument counts and
// result-type rules. It knows nothing about execution; the engine keeps
// its kernels in a registry of its own under the same names, and a test
// checks that the two lists agree (so a backend can be swapped without
// touching the analyzer).
//
// Operators are registered here too, under their spelling ("==", "has",
// "!contains_cs", "in~", "between", ...), so that the analyzer and every
// backend treat `a has b` and `strlen(a)` the same way.
package builtins

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"hunt/kql/types"
)

// Kind tells scalar functions from aggregates.
type Kind uint8

const (
	Scalar Kind = iota
	Aggregate
	// Window functions (row_number, prev, next) need a serialized input.
	Window
)

// Arg describes one argument at a call site, as far as the analyzer knows
// it: its type and, when it is a constant, its value (boxed as vec.Vec.Get
// returns it: nil, bool, int64, float64, string, types.DT, types.TS,
// types.GuidVal or a dynamic value).
type Arg struct {
	Type  types.Type
	Const bool
	Value any
	// Name is set for named arguments (name = value); rare in functions.
	Name string
	// Star is set for the `*` argument of count(*), pack_array(*), arg_max(x, *).
	Star bool
}

// Func describes one built-in function.
type Func struct {
	Name    string
	Aliases []string
	Kind    Kind
	// MinArgs and MaxArgs bound the argument count; MaxArgs < 0 means any.
	MinArgs, MaxArgs int
	// Result checks the arguments and returns the result type. It may
	// return types.Unknown only if the result type truly depends on data.
	Result func(args []Arg) (types.Type, error)
	// Volatile functions (now, rand, new_guid) must not be folded at
	// analysis time beyond what the run's pinned clock allows.
	Volatile bool
	// Doc is the KQL reference page name, e.g. "parse-path-function".
	Doc string
	// ScalarTwin, on an aggregate, names the scalar function that a call
	// outside summarize (or with more arguments than the aggregate takes)
	// means: KQL spells hll_merge() and tdigest_merge()/merge_tdigest()
	// the same way in both roles.
	ScalarTwin string
}

var (
	mu       sync.RWMutex
	registry = map[string]*Func{}
	primary  = map[string]*Func{}
)

// Register adds f under its name and aliases. It panics on a duplicate
// name, which is a programming error caught by any test.
func Register(f *Func) {
	mu.Lock()
	defer mu.Unlock()
	for _, n := range append([]string{f.Name}, f.Aliases...) {
		if _, dup := registry[n]; dup {
			panic("builtins: duplicate function " + n)
		}
		registry[n] = f
	}
	primary[f.Name] = f
}

// Lookup returns the function named name (or one of its aliases). KQL
// function names are case-sensitive.
func Lookup(name string) (*Func, bool) {
	mu.RLock()
	defer mu.RUnlock()
	f, ok := registry[name]
	return f, ok
}

// All returns every registered function once, sorted by name.
func All() []*Func {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]*Func, 0, len(primary))
	for _, f := range primary {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns every name and alias, sorted; used for suggestions.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// CheckCount returns an error when n arguments do not fit f.
func (f *Func) CheckCount(n int) error {
	if n < f.MinArgs || (f.MaxArgs >= 0 && n > f.MaxArgs) {
		switch {
		case f.MinArgs == f.MaxArgs:
			return fmt.Errorf("%s() takes %d argument%s, got %d", f.Name, f.MinArgs, plural(f.MinArgs), n)
		case f.MaxArgs < 0:
			return fmt.Errorf("%s() takes at least %d argument%s, got %d", f.Name, f.MinArgs, plural(f.MinArgs), n)
		default:
			return fmt.Errorf("%s() takes %d to %d arguments, got %d", f.Name, f.MinArgs, f.MaxArgs, n)
		}
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Fixed returns a Result rule that always yields t.
func Fixed(t types.Type) func([]Arg) (types.Type, error) {
	return func([]Arg) (types.Type, error) { return t, nil }
}

// SameAs returns a Result rule that yields the type of argument i.
func SameAs(i int) func([]Arg) (types.Type, error) {
	return func(a []Arg) (types.Type, error) {
		if i < len(a) {
			return a[i].Type, nil
		}
		return types.Unknown, nil
	}
}

// TypeError builds the standard message for an argument of the wrong type.
func TypeError(fn string, i int, want string, got types.Type) error {
	return fmt.Errorf("%s(): argument %d must be %s, got %s", fn, i+1, want, got)
}

// Want returns a Result rule that checks each argument against the
// allowed types (a nil entry allows any type; Unknown, the type of an
// untyped null, is always allowed) and yields result.
func Want(result types.Type, allowed ...[]types.Type) func(string) func([]Arg) (types.Type, error) {
	return func(name string) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			for i, a := range args {
				if i >= len(allowed) || allowed[i] == nil || a.Type == types.Unknown {
					continue
				}
				ok := false
				for _, t := range allowed[i] {
					if t == a.Type {
						ok = true
						break
					}
				}
				if !ok {
					names := make([]string, len(allowed[i]))
					for k, t := range allowed[i] {
						names[k] = t.String()
					}
					return types.Unknown, TypeError(name, i, strings.Join(names, " or "), a.Type)
				}
			}
			return result, nil
		}
	}
}

// Common argument type sets.
var (
	AnyNumeric = []types.Type{types.Int, types.Long, types.Real, types.Decimal}
	Integers   = []types.Type{types.Int, types.Long}
	Strs       = []types.Type{types.String}
	StrOrDyn   = []types.Type{types.String, types.Dynamic}
	Dyn        = []types.Type{types.Dynamic}
	Times      = []types.Type{types.DateTime}
	Spans      = []types.Type{types.Timespan}
)
