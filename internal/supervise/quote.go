package supervise

import "strings"

// Quote returns s quoted for a POSIX shell: unchanged when it is not empty
// and holds only characters no shell treats specially (letters, digits and
// _ @ % + = : , . / -), otherwise between single quotes, each single quote
// inside written as quote, backslash, quote, quote. [SplitWords] and sh both
// read the result back as s.
func Quote(s string) string {
	if s != "" && strings.Trim(s, safeChars) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safeChars need no quoting.
const safeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-"

// QuoteCommand quotes each word of argv with [Quote] and joins them with
// spaces: a line a shell runs as argv.
func QuoteCommand(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}
