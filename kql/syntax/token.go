package syntax

import "strconv"

// Token is a lexical token kind.
type Token int

// The list of tokens.
const (
	ILLEGAL Token = iota
	EOF

	literalBeg
	IDENT    // DeviceEvents, $left, 2022Cves; quoted names are [ STRING ] tokens
	INT      // 10, 0x1F
	REAL     // 1.5, 1e3
	STRING   // "a", 'a', @"a", h"a", ```a```
	TIMESPAN // 1d, 1.5h, 100ms
	TYPED    // datetime(...), timespan(...), guid(...), int(...), ... with raw contents
	literalEnd

	operatorBeg
	ADD      // +
	SUB      // -
	MUL      // *
	QUO      // /
	REM      // %
	EQL      // ==
	NEQ      // !=
	LTGT     // <>
	LSS      // <
	LEQ      // <=
	GTR      // >
	GEQ      // >=
	EQTILDE  // =~
	NEQTILDE // !~
	ASSIGN   // =
	ARROW    // =>
	PIPE     // |
	SEMI     // ;
	COMMA    // ,
	DOT      // .
	DOTDOT   // ..
	COLON    // :
	LPAREN   // (
	RPAREN   // )
	LBRACK   // [
	RBRACK   // ]
	LBRACE   // {
	RBRACE   // }
	operatorEnd

	// Keywords. KQL is lenient: all of them are also accepted as names where
	// a name is expected, because real queries use columns named kind, type,
	// title, count and so on.
	keywordBeg
	AND
	OR
	LET
	SET
	DECLARE
	BY
	ON
	KIND
	WITH
	TO
	FROM
	STEP
	OF
	ASC
	DESC
	NULLS
	FIRST
	LAST
	TRUE
	FALSE

	relationalBeg // binary relational keywords below share precedence 3
	IN
	NOTIN      // !in
	INCI       // in~
	NOTINCI    // !in~
	HASANY     // has_any
	HASALL     // has_all
	BETWEEN    // between
	NOTBETWEEN // !between
	HAS
	NOTHAS
	HASCS
	NOTHASCS
	HASPREFIX
	NOTHASPREFIX
	HASPREFIXCS
	NOTHASPREFIXCS
	HASSUFFIX
	NOTHASSUFFIX
	HASSUFFIXCS
	NOTHASSUFFIXCS
	CONTAINS
	NOTCONTAINS
	CONTAINSCS
	NOTCONTAINSCS
	STARTSWITH
	NOTSTARTSWITH
	STARTSWITHCS
	NOTSTARTSWITHCS
	ENDSWITH
	NOTENDSWITH
	ENDSWITHCS
	NOTENDSWITHCS
	MATCHESREGEX   // matches regex (one token: Kusto requires exactly one blank)
	LIKE           // legacy
	NOTLIKE        // legacy
	LIKECS         // legacy
	NOTLIKECS      // legacy
	NOTCONTAINS2   // legacy notcontains
	CONTAINSCS2    // legacy containscs
	NOTCONTAINSCS2 // legacy notcontainscs
	relationalEnd
	keywordEnd
)

var tokens = [...]string{
	ILLEGAL: "ILLEGAL",
	EOF:     "EOF",

	IDENT:    "IDENT",
	INT:      "INT",
	REAL:     "REAL",
	STRING:   "STRING",
	TIMESPAN: "TIMESPAN",
	TYPED:    "TYPED",

	ADD:      "+",
	SUB:      "-",
	MUL:      "*",
	QUO:      "/",
	REM:      "%",
	EQL:      "==",
	NEQ:      "!=",
	LTGT:     "<>",
	LSS:      "<",
	LEQ:      "<=",
	GTR:      ">",
	GEQ:      ">=",
	EQTILDE:  "=~",
	NEQTILDE: "!~",
	ASSIGN:   "=",
	ARROW:    "=>",
	PIPE:     "|",
	SEMI:     ";",
	COMMA:    ",",
	DOT:      ".",
	DOTDOT:   "..",
	COLON:    ":",
	LPAREN:   "(",
	RPAREN:   ")",
	LBRACK:   "[",
	RBRACK:   "]",
	LBRACE:   "{",
	RBRACE:   "}",

	AND:     "and",
	OR:      "or",
	LET:     "let",
	SET:     "set",
	DECLARE: "declare",
	BY:      "by",
	ON:      "on",
	KIND:    "kind",
	WITH:    "with",
	TO:      "to",
	FROM:    "from",
	STEP:    "step",
	OF:      "of",
	ASC:     "asc",
	DESC:    "desc",
	NULLS:   "nulls",
	FIRST:   "first",
	LAST:    "last",
	TRUE:    "true",
	FALSE:   "false",

	IN:              "in",
	NOTIN:           "!in",
	INCI:            "in~",
	NOTINCI:         "!in~",
	HASANY:          "has_any",
	HASALL:          "has_all",
	BETWEEN:         "between",
	NOTBETWEEN:      "!between",
	HAS:             "has",
	NOTHAS:          "!has",
	HASCS:           "has_cs",
	NOTHASCS:        "!has_cs",
	HASPREFIX:       "hasprefix",
	NOTHASPREFIX:    "!hasprefix",
	HASPREFIXCS:     "hasprefix_cs",
	NOTHASPREFIXCS:  "!hasprefix_cs",
	HASSUFFIX:       "hassuffix",
	NOTHASSUFFIX:    "!hassuffix",
	HASSUFFIXCS:     "hassuffix_cs",
	NOTHASSUFFIXCS:  "!hassuffix_cs",
	CONTAINS:        "contains",
	NOTCONTAINS:     "!contains",
	CONTAINSCS:      "contains_cs",
	NOTCONTAINSCS:   "!contains_cs",
	STARTSWITH:      "startswith",
	NOTSTARTSWITH:   "!startswith",
	STARTSWITHCS:    "startswith_cs",
	NOTSTARTSWITHCS: "!startswith_cs",
	ENDSWITH:        "endswith",
	NOTENDSWITH:     "!endswith",
	ENDSWITHCS:      "endswith_cs",
	NOTENDSWITHCS:   "!endswith_cs",
	MATCHESREGEX:    "matches regex",
	LIKE:            "like",
	NOTLIKE:         "notlike",
	LIKECS:          "likecs",
	NOTLIKECS:       "notlikecs",
	NOTCONTAINS2:    "notcontains",
	CONTAINSCS2:     "containscs",
	NOTCONTAINSCS2:  "notcontainscs",
}

// String returns the token's spelling for operators and keywords and its
// class name (IDENT, STRING, ...) otherwise.
func (tok Token) String() string {
	if 0 <= tok && int(tok) < len(tokens) && tokens[tok] != "" {
		return tokens[tok]
	}
	return "token(" + strconv.Itoa(int(tok)) + ")"
}

// Precedence levels of binary operators; higher binds tighter.
const (
	LowestPrec = 0 // not a binary operator
	UnaryPrec  = 6
)

// Precedence returns the binary operator precedence of tok, or LowestPrec:
// or < and < relational and string operators < + - < * / %.
func (tok Token) Precedence() int {
	switch tok {
	case OR:
		return 1
	case AND:
		return 2
	case EQL, NEQ, LTGT, LSS, LEQ, GTR, GEQ, EQTILDE, NEQTILDE:
		return 3
	case ADD, SUB:
		return 4
	case MUL, QUO, REM:
		return 5
	}
	if tok.IsRelational() {
		return 3
	}
	return LowestPrec
}

var keywords map[string]Token

func init() {
	keywords = make(map[string]Token, keywordEnd-keywordBeg)
	for i := keywordBeg + 1; i < keywordEnd; i++ {
		if int(i) < len(tokens) && tokens[i] != "" {
			keywords[tokens[i]] = i
		}
	}
}

// Lookup maps a word (including the "!" forms such as "!has" and "in~") to
// its keyword token, or IDENT if it is not a keyword. Keywords are case
// sensitive, as in Kusto.
func Lookup(word string) Token {
	if tok, ok := keywords[word]; ok {
		return tok
	}
	return IDENT
}

// IsLiteral reports whether tok is an identifier or a basic literal.
func (tok Token) IsLiteral() bool { return literalBeg < tok && tok < literalEnd }

// IsOperator reports whether tok is punctuation or an operator symbol.
func (tok Token) IsOperator() bool { return operatorBeg < tok && tok < operatorEnd }

// IsKeyword reports whether tok is a keyword.
func (tok Token) IsKeyword() bool { return keywordBeg < tok && tok < keywordEnd }

// IsRelational reports whether tok is a relational keyword operator (in,
// has, contains, between, ...).
func (tok Token) IsRelational() bool { return relationalBeg < tok && tok < relationalEnd }

// IsListOp reports whether tok takes a parenthesized list operand.
func (tok Token) IsListOp() bool {
	switch tok {
	case IN, NOTIN, INCI, NOTINCI, HASANY, HASALL:
		return true
	}
	return false
}
