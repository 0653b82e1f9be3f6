// Package fn holds the engine's kernels for KQL's built-in functions and
// operators: vectorized scalar kernels and grouped aggregates, registered
// under the names the analyzer's registry (kql/builtins) uses.
//
// A scalar kernel is built once per call site by a factory that sees the
// argument types and constant arguments (so a regex or a term list is
// compiled once, not per row), then runs over whole batches. Arguments may
// be constant vectors; when every argument is constant the kernel returns a
// constant vector, which is how constant sub-expressions are folded.
package fn

import (
	"fmt"
	"sort"
	"sync"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// Ctx carries what a query run fixes for every kernel.
type Ctx struct {
	// Now is the instant now() and ago() use, in datetime ticks. Kusto
	// freezes it for a whole query; hunt also lets the user pin it.
	Now int64
	// GeoIP answers geo_info_from_ip_address(); nil when the run has no
	// geolocation database.
	GeoIP *GeoDB
}

// Scalar evaluates one call site over n rows. args[i] is either n rows long
// or constant. The result has n rows or is constant.
type Scalar func(ctx *Ctx, args []*vec.Vec, n int) (*vec.Vec, error)

// ScalarFactory builds the kernel for one call site. result is the type the
// analyzer inferred for the call.
type ScalarFactory func(args []builtins.Arg, result types.Type) (Scalar, error)

// Agg accumulates one aggregate for many groups at once. Group ids are
// dense small integers assigned by the hash aggregation operator.
type Agg interface {
	// Grow makes room for groups [0, n).
	Grow(n int)
	// Add folds row i of args into group groups[i], for i in [0, n).
	Add(ctx *Ctx, groups []uint32, args []*vec.Vec, n int) error
	// Merge folds group j of other (built by the same factory) into group
	// into[j] of the receiver; partial aggregates of parallel workers are
	// combined this way.
	Merge(other Agg, into []uint32)
	// Result returns one row per group [0, n).
	Result(n int) *vec.Vec
	// Bytes estimates the memory the state holds, for the memory limit.
	Bytes() int64
}

// AggFactory checks a call site and returns a constructor of fresh states.
type AggFactory func(args []builtins.Arg, result types.Type) (func() Agg, error)

var (
	mu        sync.RWMutex
	scalars   = map[string]ScalarFactory{}
	aggs      = map[string]AggFactory{}
	aliasedTo = map[string]string{}
)

// RegisterScalar registers the kernel factory of a scalar function or
// operator under its builtins name.
func RegisterScalar(name string, f ScalarFactory) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := scalars[name]; dup {
		panic("fn: duplicate scalar " + name)
	}
	scalars[name] = f
}

// RegisterAgg registers an aggregate under its builtins name.
func RegisterAgg(name string, f AggFactory) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := aggs[name]; dup {
		panic("fn: duplicate aggregate " + name)
	}
	aggs[name] = f
}

// canonical resolves an alias through the analyzer's registry, so kernels
// are registered once under the primary name.
func canonical(name string) string {
	if f, ok := builtins.Lookup(name); ok {
		return f.Name
	}
	return name
}

// NewScalar builds the kernel for a call of name.
func NewScalar(name string, args []builtins.Arg, result types.Type) (Scalar, error) {
	mu.RLock()
	f, ok := scalars[canonical(name)]
	mu.RUnlock()
	if !ok {
		return nil, &UnsupportedError{What: "function " + name + "()"}
	}
	return f(args, result)
}

// NewAgg builds the state constructor for an aggregate call of name.
func NewAgg(name string, args []builtins.Arg, result types.Type) (func() Agg, error) {
	mu.RLock()
	f, ok := aggs[canonical(name)]
	mu.RUnlock()
	if !ok {
		return nil, &UnsupportedError{What: "aggregate " + name + "()"}
	}
	return f(args, result)
}

// HasKernel reports whether a kernel is registered for the builtin name.
func HasKernel(name string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, s := scalars[canonical(name)]
	_, a := aggs[canonical(name)]
	return s || a
}

// Registered lists every registered kernel name, sorted.
func Registered() []string {
	mu.RLock()
	defer mu.RUnlock()
	var out []string
	for n := range scalars {
		out = append(out, n)
	}
	for n := range aggs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// UnsupportedError reports a feature hunt does not implement yet. It is
// distinct from a user error so that corpus runs can count what is missing.
type UnsupportedError struct{ What string }

func (e *UnsupportedError) Error() string { return e.What + " is not supported yet" }

// Errorf returns a user-facing error of a kernel (bad regex, bad argument).
func Errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }
