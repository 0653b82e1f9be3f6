package fn

import (
	"fmt"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// cmdLineColumn holds process command lines of 60 to 200 bytes, the
// long strings DeviceProcessEvents hunts run has and has_any over.
func cmdLineColumn(n int) (*vec.Vec, int64) {
	lines := []string{
		`"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File C:\ProgramData\Scripts\inventory.ps1`,
		`C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule`,
		`"C:\Program Files\Git\cmd\git.exe" push origin main --force-with-lease`,
		`"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --type=renderer --lang=en-US --js-flags=--ms-user-locale= --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id=%d`,
		`cmd.exe /c "whoami /all > %%TEMP%%\w%d.txt"`,
		`aws s3 sync C:\src\payments-service s3://backup-bucket-%d/payments --only-show-errors`,
		`rundll32.exe C:\Windows\System32\shell32.dll,Control_RunDLL desk.cpl,,%d`,
	}
	v := vec.New(types.String, n)
	var size int64
	for i := 0; i < n; i++ {
		s := lines[i%len(lines)]
		if i%len(lines) >= 3 {
			s = fmt.Sprintf(s, i)
		}
		v.Append(s)
		size += int64(len(s))
	}
	return v, size
}

func benchHasKernel(b *testing.B, name string, rightType types.Type, right any) {
	args := []builtins.Arg{{Type: types.String}, {Type: rightType, Const: true, Value: right}}
	f, ok := builtins.Lookup(name)
	if !ok {
		b.Fatalf("no builtin %s", name)
	}
	rt, err := f.Result(args)
	if err != nil {
		b.Fatal(err)
	}
	k, err := NewScalar(name, args, rt)
	if err != nil {
		b.Fatal(err)
	}
	const n = 1024
	col, size := cmdLineColumn(n)
	in := []*vec.Vec{col, vec.Constant(rightType, right)}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k(&Ctx{}, in, n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHasCommandLine matches terms in long command lines: a term
// that is rare, one that differs in case from the text, and has_any of
// the LOLBin names a hunt looks for.
func BenchmarkHasCommandLine(b *testing.B) {
	lolbins, err := types.ParseJSON([]byte(`["whoami","certutil","bitsadmin","mshta","regsvr32","rundll32","wmic","sync"]`))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("has_rare", func(b *testing.B) { benchHasKernel(b, "has", types.String, "whoami") })
	b.Run("has_case", func(b *testing.B) { benchHasKernel(b, "has", types.String, "PowerShell") })
	b.Run("!has", func(b *testing.B) { benchHasKernel(b, "!has", types.String, "temp") })
	b.Run("has_any_8", func(b *testing.B) { benchHasKernel(b, "has_any", types.Dynamic, lolbins) })
}
