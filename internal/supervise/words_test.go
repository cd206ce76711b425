package supervise

import (
	"errors"
	"os/exec"
	"slices"
	"testing"
)

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  \t\n ", nil},
		{"zeek -C -r {fifo} local", []string{"zeek", "-C", "-r", "{fifo}", "local"}},
		{"a  b\tc\nd", []string{"a", "b", "c", "d"}},
		{`'a b' "c d"`, []string{"a b", "c d"}},
		{`a'b'"c"d`, []string{"abcd"}},                          // quotes join into one word
		{`'' ""`, []string{"", ""}},                             // empty words from quotes
		{`'$HOME \n "x"'`, []string{`$HOME \n "x"`}},            // single quotes: all literal
		{`"a\"b\\c\$d\e"`, []string{`a"b\c$d\e`}},               // double quotes: \ escapes only " \ $ `
		{`a\ b \'c\"`, []string{"a b", `'c"`}},                  // backslash outside quotes
		{"a\\\nb", []string{"ab"}},                              // line continuation
		{"\"a\\\nb\"", []string{"ab"}},                          // line continuation in double quotes
		{"x *.pcap ~ [a]", []string{"x", "*.pcap", "~", "[a]"}}, // no globbing, no tilde
		{`"a|b;c" 'd&e' \|`, []string{"a|b;c", "d&e", "|"}},     // quoted operators are plain
		{`-e "redef Log::default_rotation_interval = 0 sec;"`, []string{"-e", "redef Log::default_rotation_interval = 0 sec;"}},
	} {
		got, err := SplitWords(tc.in)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("SplitWords(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestSplitWordsErrors(t *testing.T) {
	for _, in := range []string{`'abc`, `"abc`, `"a\"`, `abc\`, `a | b`, `a > f`, `a; b`, `a & b`, `$HOME`, "`x`", `(a)`} {
		if got, err := SplitWords(in); !errors.Is(err, ErrSyntax) {
			t.Errorf("SplitWords(%q) = %q, %v; want an ErrSyntax", in, got, err)
		}
	}
}

// TestSplitWordsLikeSh compares with the real shell's word splitting.
func TestSplitWordsLikeSh(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	for _, in := range []string{`a 'b c' "d\"e" f\ g`, `"x\y" 'p\q' r\\s`, "one\\\ntwo \"th\\\nree\"", `'' "" x`} {
		out, err := exec.Command("sh", "-c", `for a in `+in+`; do printf '%s\0' "$a"; done`).Output()
		if err != nil {
			t.Fatal(err)
		}
		want := splitNUL(out)
		got, err := SplitWords(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("SplitWords(%q) = %q, %v; sh says %q", in, got, err, want)
		}
	}
}

func splitNUL(b []byte) []string {
	var words []string
	for len(b) > 0 {
		i := slices.Index(b, 0)
		words = append(words, string(b[:i]))
		b = b[i+1:]
	}
	return words
}

func FuzzSplitWords(f *testing.F) {
	for _, s := range []string{"zeek -r {fifo}", `'a b' "c\"d" e\ f`, "a\\\nb", `'`, `"\`, "x|y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := SplitWords(s)
		if err != nil {
			return
		}
		// Quoting the words and splitting again gives them back.
		again, err := SplitWords(QuoteCommand(words))
		if err != nil || !slices.Equal(again, words) && !(len(words) == 0 && len(again) == 0) {
			t.Fatalf("SplitWords(QuoteCommand(%q)) = %q, %v", words, again, err)
		}
	})
}
