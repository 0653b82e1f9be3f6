package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2"
)

// duckChildArg makes the bench binary a DuckDB child: it runs the SQL on
// its standard input and prints the rows as JSON lines. DuckDB runs in a
// process of its own so that its peak memory is measured as hunt's is.
const duckChildArg = "__duckdb"

// duckChild is the child's main: args is empty to print rows, or
// "-exec" to run a statement that returns none.
func duckChild(args []string) int {
	text, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := duckRun(string(text), len(args) > 0 && args[0] == "-exec", os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "duckdb:", err)
		return 1
	}
	return 0
}

func duckRun(text string, execOnly bool, stdout io.Writer) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	// bin() and date_trunc work on UTC in KQL.
	if _, err := db.Exec("SET TimeZone = 'UTC'"); err != nil {
		return err
	}
	if execOnly {
		_, err := db.Exec(text)
		return err
	}
	rows, err := db.Query(text)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			row[c] = vals[i]
		}
		b, err := json.Marshal(row)
		if err != nil {
			return err
		}
		w.Write(b)
		w.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return w.Flush()
}

// runDuck runs text in a DuckDB child of self (the bench binary).
func runDuck(self, text string, execOnly bool) (measured, error) {
	args := []string{duckChildArg}
	if execOnly {
		args = append(args, "-exec")
	}
	cmd, cancel := command(self, args...)
	defer cancel()
	cmd.Stdin = strings.NewReader(text)
	m := runMeasured(cmd)
	return m, m.err
}
