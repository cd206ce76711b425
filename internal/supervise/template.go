package supervise

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Vars are the values of a command template's placeholders for one worker.
type Vars struct {
	FIFO  string // {fifo}: the path the worker reads
	Index int    // {i}: the worker's 0-based index
	N     int    // {n}: the number of workers
	Dir   string // {dir}: the worker's working directory
}

// Substitute replaces every {fifo}, {i}, {n} and {dir} in s by its value in
// v, passed through quote (nil: as is). Other text, braces included, is
// kept; values are never substituted again.
func Substitute(s string, v Vars, quote func(string) string) string {
	if quote == nil {
		quote = func(s string) string { return s }
	}
	return strings.NewReplacer(
		"{fifo}", quote(v.FIFO),
		"{i}", quote(strconv.Itoa(v.Index)),
		"{n}", quote(strconv.Itoa(v.N)),
		"{dir}", quote(v.Dir),
	).Replace(s)
}

// Template is a parsed worker command template (--exec).
type Template struct {
	raw   string
	words []string // nil with a shell
	shell bool
}

// ParseTemplate parses the command template s. Without shell, s is split
// into words by [SplitWords] and placeholders are substituted inside each
// word, so a value never splits a word or becomes shell syntax. With shell,
// the command is sh -c s, placeholders replaced by shell-quoted values (do
// not quote them in s).
func ParseTemplate(s string, shell bool) (*Template, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty command")
	}
	t := &Template{raw: s, shell: shell}
	if shell {
		return t, nil
	}
	words, err := SplitWords(s)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", s, err)
	}
	if len(words) == 0 {
		return nil, errors.New("empty command")
	}
	t.words = words
	return t, nil
}

// Argv returns the command of the worker described by v.
func (t *Template) Argv(v Vars) []string {
	if t.shell {
		return []string{"sh", "-c", Substitute(t.raw, v, Quote)}
	}
	argv := make([]string, len(t.words))
	for i, w := range t.words {
		argv[i] = Substitute(w, v, nil)
	}
	return argv
}

// Program is the program the template runs (sh with a shell), before
// substitution: what must be found in $PATH.
func (t *Template) Program() string {
	if t.shell {
		return "sh"
	}
	return t.words[0]
}
