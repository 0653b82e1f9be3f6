package fn

// convert_angle, convert_energy, convert_force, convert_length,
// convert_mass, convert_speed, convert_temperature and convert_volume.
//
// Each unit is given by how a value in it maps to the quantity's base
// unit (degree, joule, newton, meter, kilogram, meter per second, kelvin,
// cubic meter): base = value*factor + offset. Unit names are the ones
// the reference lists, matched without regard to case; an unknown unit
// gives null (documented). The factors are the SI and customary
// definitions (international foot and pound, US survey foot, IT British
// thermal unit, standard gravity for the force units, the 2019 SI
// electronvolt).

import (
	"math"
	"strconv"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

type unitDef struct{ factor, offset float64 }

const (
	unitRad      = 180 / math.Pi
	unitBTU      = 1055.05585262
	unitEV       = 1.602176634e-19
	unitLbf      = 4.4482216152605
	unitLightYr  = 9.46073047258e15
	unitParsec   = 3.08567758128e16
	unitInch     = 0.0254
	unitFoot     = 0.3048
	unitSurvFoot = 1200.0 / 3937
	unitUSGallon = 3.785411784e-3
	unitImpGal   = 4.54609e-3
	unitCuFoot   = 0.028316846592
)

var unitTables = map[string]map[string]unitDef{
	"angle": {
		"arcminute": {1.0 / 60, 0}, "arcsecond": {1.0 / 3600, 0}, "centiradian": {0.01 * unitRad, 0},
		"deciradian": {0.1 * unitRad, 0}, "degree": {1, 0}, "gradian": {0.9, 0}, "microdegree": {1e-6, 0},
		"microradian": {1e-6 * unitRad, 0}, "millidegree": {1e-3, 0}, "milliradian": {1e-3 * unitRad, 0},
		"nanodegree": {1e-9, 0}, "nanoradian": {1e-9 * unitRad, 0}, "natomil": {360.0 / 6400, 0},
		"radian": {unitRad, 0}, "revolution": {360, 0},
		// "tilt" is the sine of the angle; unitConvert handles it.
		"tilt": {0, 0},
	},
	"energy": {
		"britishthermalunit": {unitBTU, 0}, "calorie": {4.184, 0}, "decathermec": {1.05505585262e9, 0},
		"decathermimperial": {1.05505585257348e9, 0}, "decathermus": {1.054804e9, 0}, "electronvolt": {unitEV, 0},
		"erg": {1e-7, 0}, "footpound": {1.3558179483314004, 0}, "gigabritishthermalunit": {unitBTU * 1e9, 0},
		"gigaelectronvolt": {unitEV * 1e9, 0}, "gigajoule": {1e9, 0}, "gigawattday": {1e9 * 86400, 0},
		"gigawatthour": {1e9 * 3600, 0}, "horsepowerhour": {2.6845195377e6, 0}, "joule": {1, 0},
		"kilobritishthermalunit": {unitBTU * 1e3, 0}, "kilocalorie": {4184, 0}, "kiloelectronvolt": {unitEV * 1e3, 0},
		"kilojoule": {1e3, 0}, "kilowattday": {1e3 * 86400, 0}, "kilowatthour": {1e3 * 3600, 0},
		"megabritishthermalunit": {unitBTU * 1e6, 0}, "megacalorie": {4.184e6, 0}, "megaelectronvolt": {unitEV * 1e6, 0},
		"megajoule": {1e6, 0}, "megawattday": {1e6 * 86400, 0}, "megawatthour": {1e6 * 3600, 0},
		"millijoule": {1e-3, 0}, "teraelectronvolt": {unitEV * 1e12, 0}, "terawattday": {1e12 * 86400, 0},
		"terawatthour": {1e12 * 3600, 0}, "thermec": {1.05505585262e8, 0}, "thermimperial": {1.05505585257348e8, 0},
		"thermus": {1.054804e8, 0}, "wattday": {86400, 0}, "watthour": {3600, 0},
	},
	"force": {
		"decanewton": {10, 0}, "dyn": {1e-5, 0}, "kilogramforce": {9.80665, 0}, "kilonewton": {1e3, 0},
		"kilopond": {9.80665, 0}, "kilopoundforce": {unitLbf * 1e3, 0}, "meganewton": {1e6, 0},
		"micronewton": {1e-6, 0}, "millinewton": {1e-3, 0}, "newton": {1, 0}, "ounceforce": {unitLbf / 16, 0},
		"poundal": {0.138254954376, 0}, "poundforce": {unitLbf, 0}, "shorttonforce": {unitLbf * 2000, 0},
		"tonneforce": {9806.65, 0},
	},
	"length": {
		"angstrom": {1e-10, 0}, "astronomicalunit": {1.495978707e11, 0}, "centimeter": {1e-2, 0},
		"chain": {20.1168, 0}, "datamile": {1828.8, 0}, "decameter": {10, 0}, "decimeter": {0.1, 0},
		"dtppica": {unitInch / 6, 0}, "dtppoint": {unitInch / 72, 0}, "fathom": {1.8288, 0},
		"foot": {unitFoot, 0}, "hand": {0.1016, 0}, "hectometer": {100, 0}, "inch": {unitInch, 0},
		"kilolightyear": {unitLightYr * 1e3, 0}, "kilometer": {1e3, 0}, "kiloparsec": {unitParsec * 1e3, 0},
		"lightyear": {unitLightYr, 0}, "megalightyear": {unitLightYr * 1e6, 0}, "megaparsec": {unitParsec * 1e6, 0},
		"meter": {1, 0}, "microinch": {unitInch * 1e-6, 0}, "micrometer": {1e-6, 0}, "mil": {unitInch * 1e-3, 0},
		"mile": {1609.344, 0}, "millimeter": {1e-3, 0}, "nanometer": {1e-9, 0}, "nauticalmile": {1852, 0},
		"parsec": {unitParsec, 0}, "printerpica": {unitInch / 6.0225, 0}, "printerpoint": {unitInch / 72.27, 0},
		"shackle": {27.432, 0}, "solarradius": {6.95508e8, 0}, "twip": {unitInch / 1440, 0},
		"ussurveyfoot": {unitSurvFoot, 0}, "yard": {0.9144, 0},
	},
	"mass": {
		"centigram": {1e-5, 0}, "decagram": {1e-2, 0}, "decigram": {1e-4, 0}, "earthmass": {5.9722e24, 0},
		"grain": {6.479891e-5, 0}, "gram": {1e-3, 0}, "hectogram": {0.1, 0}, "kilogram": {1, 0},
		"kilopound": {453.59237, 0}, "kilotonne": {1e6, 0}, "longhundredweight": {50.80234544, 0},
		"longton": {1016.0469088, 0}, "megapound": {453592.37, 0}, "megatonne": {1e9, 0},
		"microgram": {1e-9, 0}, "milligram": {1e-6, 0}, "nanogram": {1e-12, 0}, "ounce": {0.028349523125, 0},
		"pound": {0.45359237, 0}, "shorthundredweight": {45.359237, 0}, "shortton": {907.18474, 0},
		"slug": {14.593902937206364, 0}, "solarmass": {1.98947e30, 0}, "stone": {6.35029318, 0},
		"tonne": {1000, 0},
	},
	"speed": {
		"centimeterperhour": {0.01 / 3600, 0}, "centimeterperminute": {0.01 / 60, 0}, "centimeterpersecond": {0.01, 0},
		"decimeterperminute": {0.1 / 60, 0}, "decimeterpersecond": {0.1, 0}, "footperhour": {unitFoot / 3600, 0},
		"footperminute": {unitFoot / 60, 0}, "footpersecond": {unitFoot, 0}, "inchperhour": {unitInch / 3600, 0},
		"inchperminute": {unitInch / 60, 0}, "inchpersecond": {unitInch, 0}, "kilometerperhour": {1000.0 / 3600, 0},
		"kilometerperminute": {1000.0 / 60, 0}, "kilometerpersecond": {1000, 0}, "knot": {1852.0 / 3600, 0},
		"meterperhour": {1.0 / 3600, 0}, "meterperminute": {1.0 / 60, 0}, "meterpersecond": {1, 0},
		"micrometerperminute": {1e-6 / 60, 0}, "micrometerpersecond": {1e-6, 0}, "mileperhour": {1609.344 / 3600, 0},
		"millimeterperhour": {1e-3 / 3600, 0}, "millimeterperminute": {1e-3 / 60, 0}, "millimeterpersecond": {1e-3, 0},
		"nanometerperminute": {1e-9 / 60, 0}, "nanometerpersecond": {1e-9, 0},
		"ussurveyfootperhour": {unitSurvFoot / 3600, 0}, "ussurveyfootperminute": {unitSurvFoot / 60, 0},
		"ussurveyfootpersecond": {unitSurvFoot, 0}, "yardperhour": {0.9144 / 3600, 0},
		"yardperminute": {0.9144 / 60, 0}, "yardpersecond": {0.9144, 0},
	},
	"temperature": {
		"degreecelsius": {1, 273.15}, "degreedelisle": {-2.0 / 3, 373.15}, "degreefahrenheit": {5.0 / 9, 459.67 * 5 / 9},
		"degreenewton": {100.0 / 33, 273.15}, "degreerankine": {5.0 / 9, 0}, "degreereaumur": {1.25, 273.15},
		"degreeroemer": {40.0 / 21, 273.15 - 7.5*40/21}, "kelvin": {1, 0}, "millidegreecelsius": {1e-3, 273.15},
		"solartemperature": {5778, 0},
	},
	"volume": {
		// Kusto's acre-foot is 1/0.000810714 m³ (its example's figure).
		"acrefoot": {1 / 0.000810714, 0}, "autablespoon": {2e-5, 0}, "boardfoot": {unitCuFoot / 12, 0},
		"centiliter": {1e-5, 0}, "cubiccentimeter": {1e-6, 0}, "cubicdecimeter": {1e-3, 0}, "cubicfoot": {unitCuFoot, 0},
		"cubichectometer": {1e6, 0}, "cubicinch": {1.6387064e-5, 0}, "cubickilometer": {1e9, 0}, "cubicmeter": {1, 0},
		"cubicmicrometer": {1e-18, 0}, "cubicmile": {4.168181825440579584e9, 0}, "cubicmillimeter": {1e-9, 0},
		"cubicyard": {0.764554857984, 0}, "decaliter": {1e-2, 0}, "decausgallon": {unitUSGallon * 10, 0},
		"deciliter": {1e-4, 0}, "deciusgallon": {unitUSGallon / 10, 0}, "hectocubicfoot": {unitCuFoot * 100, 0},
		"hectocubicmeter": {100, 0}, "hectoliter": {0.1, 0}, "hectousgallon": {unitUSGallon * 100, 0},
		"imperialbeerbarrel": {unitImpGal * 36, 0}, "imperialgallon": {unitImpGal, 0},
		"imperialounce": {2.84130625e-5, 0}, "imperialpint": {unitImpGal / 8, 0}, "kilocubicfoot": {unitCuFoot * 1e3, 0},
		"kilocubicmeter": {1e3, 0}, "kiloimperialgallon": {unitImpGal * 1e3, 0}, "kiloliter": {1, 0},
		"kilousgallon": {unitUSGallon * 1e3, 0}, "liter": {1e-3, 0}, "megacubicfoot": {unitCuFoot * 1e6, 0},
		"megaimperialgallon": {unitImpGal * 1e6, 0}, "megaliter": {1e3, 0}, "megausgallon": {unitUSGallon * 1e6, 0},
		"metriccup": {2.5e-4, 0}, "metricteaspoon": {5e-6, 0}, "microliter": {1e-9, 0}, "milliliter": {1e-6, 0},
		"oilbarrel": {unitUSGallon * 42, 0}, "uktablespoon": {1.5e-5, 0}, "usbeerbarrel": {unitUSGallon * 31, 0},
		"uscustomarycup": {unitUSGallon / 16, 0}, "usgallon": {unitUSGallon, 0}, "uslegalcup": {2.4e-4, 0},
		"usounce": {unitUSGallon / 128, 0}, "uspint": {unitUSGallon / 8, 0}, "usquart": {unitUSGallon / 4, 0},
		"ustablespoon": {unitUSGallon / 256, 0}, "usteaspoon": {unitUSGallon / 768, 0},
	},
}

func init() {
	for q, table := range unitTables {
		table := table
		RegisterScalar("convert_"+q, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
				v := convCast(a[0], types.Real, n)
				m, c := coreRows(n, v, a[1], a[2])
				out := &vec.Vec{Type: types.Real, Const: c, Reals: make([]float64, m)}
				for i := 0; i < m; i++ {
					from, ok1 := table[strings.ToLower(strText(a[1], i))]
					to, ok2 := table[strings.ToLower(strText(a[2], i))]
					if !ok1 || !ok2 || v.IsNull(i) {
						out.Nulls = out.Nulls.Set(i)
						continue
					}
					out.Reals[i] = unitConvert(v.Reals[v.Row(i)], from, to, strings.EqualFold(strText(a[1], i), "tilt"), strings.EqualFold(strText(a[2], i), "tilt"))
				}
				return out, nil
			}, nil
		})
	}
}

// unitConvert converts x between two units of one quantity; fromTilt and
// toTilt mark the angle unit "tilt", the sine of the angle.
func unitConvert(x float64, from, to unitDef, fromTilt, toTilt bool) float64 {
	var base float64
	if fromTilt {
		base = math.Asin(x) * unitRad
	} else {
		base = x*from.factor + from.offset
	}
	if toTilt {
		return unitRound(math.Sin(base / unitRad))
	}
	return unitRound((base - to.offset) / to.factor)
}

// unitRound rounds to 15 significant digits, which drops the noise of
// going through the base unit (200 °C is 392 °F, not 391.99999999999994)
// and keeps every digit the factors are known to.
func unitRound(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
	if err != nil {
		return x
	}
	return r
}
