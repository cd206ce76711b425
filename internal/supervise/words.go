package supervise

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSyntax marks a command template that cannot be split into words.
var ErrSyntax = errors.New("command syntax")

// shellOnly are the characters that mean something only to a shell. Outside
// quotes they are refused by [SplitWords], so that a template written for a
// shell fails loudly instead of reaching the program as odd arguments.
const shellOnly = "|&;<>()$`"

// SplitWords splits s into words the way a POSIX shell does, without any
// expansion: blanks (space, tab, newline) outside quotes separate words;
// text between single quotes is literal; between double quotes a backslash
// escapes only $ ` " \ and newline; outside quotes a backslash makes the
// next character literal, and a backslash-newline is removed. Quotes may
// build an empty word (a pair of quotes). Globs (* ? [) and ~ stay literal.
//
// An unterminated quote, a trailing backslash, or an unquoted shell
// operator or expansion (| & ; < > ( ) $ `) is an error wrapping
// [ErrSyntax] with the byte offset. SplitWords does not allocate beyond the
// returned words.
func SplitWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, fmt.Errorf("%w: trailing backslash at byte %d", ErrSyntax, i)
			}
			i++
			if s[i] == '\n' {
				continue // line continuation
			}
			w.WriteByte(s[i])
			inWord = true
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("%w: unterminated single quote at byte %d", ErrSyntax, i)
			}
			w.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			j, err := doubleQuoted(s, i, &w)
			if err != nil {
				return nil, err
			}
			i = j
			inWord = true
		case strings.IndexByte(shellOnly, c) >= 0:
			return nil, fmt.Errorf("%w: unquoted %q at byte %d needs a shell (--shell) or quotes", ErrSyntax, c, i)
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// doubleQuoted copies the double-quoted text that opens at s[open] into w
// and returns the offset of the closing quote.
func doubleQuoted(s string, open int, w *strings.Builder) (int, error) {
	for i := open + 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return i, nil
		case '\\':
			if i+1 < len(s) {
				switch n := s[i+1]; n {
				case '$', '`', '"', '\\':
					w.WriteByte(n)
					i++
					continue
				case '\n':
					i++
					continue
				}
			}
			w.WriteByte(c)
		default:
			w.WriteByte(c)
		}
	}
	return 0, fmt.Errorf("%w: unterminated double quote at byte %d", ErrSyntax, open)
}
