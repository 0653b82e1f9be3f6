// Package types defines KQL's scalar types and the Go representation of
// their values: ticks for datetime and timespan, a small tree for dynamic,
// and the text forms Kusto prints and parses.
package types

import "strings"

// Type is a KQL scalar type. The zero value, Unknown, is the type of an
// untyped null and of expressions whose type could not be inferred.
type Type uint8

const (
	Unknown Type = iota
	Bool
	Int
	Long
	Real
	Decimal
	String
	DateTime
	Timespan
	Guid
	Dynamic
	numTypes
)

var typeNames = [...]string{
	Unknown:  "unknown",
	Bool:     "bool",
	Int:      "int",
	Long:     "long",
	Real:     "real",
	Decimal:  "decimal",
	String:   "string",
	DateTime: "datetime",
	Timespan: "timespan",
	Guid:     "guid",
	Dynamic:  "dynamic",
}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "invalid"
}

// aliases maps every spelling KQL accepts for a type name to the type.
var aliases = map[string]Type{
	"bool": Bool, "boolean": Bool,
	"int": Int, "int32": Int,
	"long": Long, "int64": Long,
	"real": Real, "double": Real,
	"decimal":  Decimal,
	"string":   String,
	"datetime": DateTime, "date": DateTime,
	"timespan": Timespan, "time": Timespan,
	"guid": Guid, "uuid": Guid, "uniqueid": Guid,
	"dynamic": Dynamic,
}

// Parse returns the type named by s (any KQL alias, case-insensitive for
// the names schemas use such as "Int64" or "DateTime").
func Parse(s string) (Type, bool) {
	t, ok := aliases[strings.ToLower(strings.TrimSpace(s))]
	return t, ok
}

// IsNumeric reports whether t is int, long, real or decimal.
func (t Type) IsNumeric() bool { return t == Int || t == Long || t == Real || t == Decimal }

// IsInteger reports whether t is int or long.
func (t Type) IsInteger() bool { return t == Int || t == Long }

// Physical names the Go slice a column of t is stored in. Several KQL
// types share one physical form: int, long, datetime and timespan are all
// int64 (datetime and timespan as 100-ns ticks), real and decimal are
// float64.
type Physical uint8

const (
	PhysNone Physical = iota
	PhysBool
	PhysInt
	PhysReal
	PhysString
	PhysGuid
	PhysDynamic
)

// Physical returns the storage class of t.
func (t Type) Physical() Physical {
	switch t {
	case Bool:
		return PhysBool
	case Int, Long, DateTime, Timespan:
		return PhysInt
	case Real, Decimal:
		return PhysReal
	case String:
		return PhysString
	case Guid:
		return PhysGuid
	case Dynamic:
		return PhysDynamic
	}
	return PhysNone
}

// Promote returns the common numeric type of a and b for arithmetic and
// comparison (int < long < decimal < real), or Unknown when either is not
// numeric.
func Promote(a, b Type) Type {
	if !a.IsNumeric() || !b.IsNumeric() {
		return Unknown
	}
	rank := func(t Type) int {
		switch t {
		case Int:
			return 0
		case Long:
			return 1
		case Decimal:
			return 2
		}
		return 3
	}
	if rank(a) >= rank(b) {
		return a
	}
	return b
}
