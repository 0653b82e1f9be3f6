package fn

import (
	"math"
	"testing"

	"hunt/kql/types"
)

func TestConvertUnits(t *testing.T) {
	// The examples of the eight convert_* pages.
	statsNear(t, 72.0, "convert_angle", strR(1.2), strS("Degree"), strS("Arcminute"))
	statsNear(t, 0.00113738054437598, "convert_energy", strR(1.2), strS("Joule"), strS("BritishThermalUnit"))
	statsNear(t, 0.12, "convert_force", strR(1.2), strS("Newton"), strS("Decanewton"))
	statsNear(t, 3.93700787401575, "convert_length", strR(1.2), strS("Meter"), strS("Foot"))
	statsNear(t, 2.64554714621853, "convert_mass", strR(1.2), strS("Kilogram"), strS("Pound"))
	statsNear(t, 432000.0, "convert_speed", strR(1.2), strS("MeterPerSecond"), strS("CentimeterPerHour"))
	statsNear(t, -271.95, "convert_temperature", strR(1.2), strS("Kelvin"), strS("DegreeCelsius"))
	statsNear(t, 0.0009728568, "convert_volume", strR(1.2), strS("CubicMeter"), strS("AcreFoot"))

	// Offsets, case, integers, unknown units and null.
	statsNear(t, 212.0, "convert_temperature", strL(100), strS("degreecelsius"), strS("DEGREEFAHRENHEIT"))
	statsNear(t, 0.0, "convert_temperature", strR(373.15), strS("Kelvin"), strS("DegreeDelisle"))
	statsNear(t, 7.5, "convert_temperature", strR(0), strS("DegreeCelsius"), strS("DegreeRoemer"))
	statsNear(t, 1.0, "convert_length", strR(5280), strS("Foot"), strS("Mile"))
	statsNear(t, 1.0, "convert_volume", strR(128), strS("UsOunce"), strS("UsGallon"))
	statsNear(t, math.Sin(math.Pi/6), "convert_angle", strR(30), strS("Degree"), strS("Tilt"))
	statsNear(t, 30.0, "convert_angle", strR(0.5), strS("Tilt"), strS("Degree"))
	statsNear(t, nil, "convert_length", strR(1), strS("Meter"), strS("Parsnip"))
	statsNear(t, nil, "convert_mass", strNull(types.Real), strS("Gram"), strS("Kilogram"))
	strErr(t, "argument 1", "convert_speed", strS("fast"), strS("Knot"), strS("Knot"))
}

// Every unit a page lists is known, and converting to and from the base
// unit is the identity.
func TestConvertUnitsRoundTrip(t *testing.T) {
	for q, table := range unitTables {
		if len(table) < 10 {
			t.Errorf("%s: only %d units", q, len(table))
		}
		for name, u := range table {
			tilt := name == "tilt"
			for _, x := range []float64{0.3, 42} {
				if tilt && x > 1 {
					continue
				}
				back := unitConvert(unitConvert(x, u, unitDef{1, 0}, tilt, false), unitDef{1, 0}, u, false, tilt)
				if math.Abs(back-x) > 1e-9*math.Abs(x) {
					t.Errorf("convert_%s %s: %v round-trips to %v", q, name, x, back)
				}
			}
		}
	}
}
