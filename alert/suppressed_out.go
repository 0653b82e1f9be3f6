package alert

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"hunt/kql/types"
	"hunt/output"
)

// SuppressedText writes what each exclusion removed for a person.
func SuppressedText(w io.Writer, ruleName string, sups []Suppression) error {
	var b strings.Builder
	if len(sups) == 0 {
		fmt.Fprintf(&b, "suppressed (%s): no exclusions apply to this rule\n", ruleName)
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "suppressed (%s):\n", ruleName)
	for _, s := range sups {
		e := s.Exclusion
		fmt.Fprintf(&b, "\n  %s  [%s]  owner %s\n", e.Name, e.Applies(), e.Owner)
		fmt.Fprintf(&b, "    reason: %s\n", strings.Join(strings.Fields(e.Reason), " "))
		n := 0
		if s.Rows != nil {
			n = s.Rows.N
		}
		what := fmt.Sprintf("suppressed %d result row%s", n, plural(n))
		if e.Table != "" {
			what = fmt.Sprintf("removed %d input row%s; %s", s.InputRows, plural(int(s.InputRows)), what)
		}
		if n > 0 {
			what += ":"
		}
		fmt.Fprintf(&b, "    %s\n", what)
		if n > 0 {
			var tb strings.Builder
			t := output.NewTable(&tb, s.Schema)
			t.Write(s.Rows)
			t.Close()
			lines := strings.Split(strings.TrimRight(tb.String(), "\n"), "\n")
			// The table's own row count line repeats what is said above.
			for _, l := range lines[:len(lines)-1] {
				b.WriteString("    " + l + "\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// SuppressedJSON writes one JSON line per suppressed result row, and one
// with "row":null for an exclusion that suppressed none:
// {"rule":{…},"suppressed":{"exclusion":…,"reason":…,"owner":…,
// "applies":"input CloudAppEvents","inputRows":37},"row":{…}}. rule is the
// `{"rule":{…}` prefix hunt run writes before each row.
func SuppressedJSON(w io.Writer, rule []byte, sups []Suppression) error {
	var buf []byte
	for _, s := range sups {
		e := s.Exclusion
		head := append([]byte(nil), rule...)
		head = append(head, `,"suppressed":{"exclusion":`...)
		head = types.AppendJSONString(head, e.Name)
		head = append(head, `,"reason":`...)
		head = types.AppendJSONString(head, strings.Join(strings.Fields(e.Reason), " "))
		head = append(head, `,"owner":`...)
		head = types.AppendJSONString(head, e.Owner)
		head = append(head, `,"applies":`...)
		head = types.AppendJSONString(head, e.Applies())
		if e.Table != "" {
			head = append(head, `,"inputRows":`...)
			head = strconv.AppendInt(head, s.InputRows, 10)
		}
		head = append(head, `},"row":`...)
		if s.Rows == nil || s.Rows.N == 0 {
			buf = append(append(buf[:0], head...), "null}\n"...)
			if _, err := w.Write(buf); err != nil {
				return err
			}
			continue
		}
		for i := 0; i < s.Rows.N; i++ {
			buf = append(buf[:0], head...)
			buf = append(buf, '{')
			for c, col := range s.Schema {
				if c > 0 {
					buf = append(buf, ',')
				}
				buf = types.AppendJSONString(buf, col.Name)
				buf = append(buf, ':')
				buf = output.AppendJSONValue(buf, s.Rows.Cols[c], i)
			}
			buf = append(buf, "}}\n"...)
			if _, err := w.Write(buf); err != nil {
				return err
			}
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
