package supervise

import (
	"os/exec"
	"slices"
	"testing"
)

func TestSubstitute(t *testing.T) {
	v := Vars{FIFO: "/tmp/x y/w-3.fifo", Index: 3, N: 8, Dir: "/data/w3"}
	for _, tc := range []struct {
		in    string
		quote func(string) string
		want  string
	}{
		{"{fifo} {i} {n} {dir}", nil, "/tmp/x y/w-3.fifo 3 8 /data/w3"},
		{"{fifo}", Quote, "'/tmp/x y/w-3.fifo'"},
		{"-l {dir}/logs", Quote, "-l /data/w3/logs"},
		{"{i}{i}-{n}", nil, "33-8"},
		{"{other} {I} {fifo", nil, "{other} {I} {fifo"}, // only the four placeholders
		{"redef x = { 1 };", nil, "redef x = { 1 };"},
	} {
		if got := Substitute(tc.in, v, tc.quote); got != tc.want {
			t.Errorf("Substitute(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// A value holding a placeholder is not substituted again.
	if got := Substitute("{fifo}", Vars{FIFO: "{i}", Index: 1}, nil); got != "{i}" {
		t.Errorf("value substituted again: %q", got)
	}
}

func TestTemplateArgv(t *testing.T) {
	v := Vars{FIFO: "/tmp/it's/w-0.fifo", Index: 0, N: 2, Dir: "/w 0"}
	tm, err := ParseTemplate(`zeek -C -r {fifo} local "Log::default_logdir={dir}/logs"`, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"zeek", "-C", "-r", "/tmp/it's/w-0.fifo", "local", "Log::default_logdir=/w 0/logs"}
	if got := tm.Argv(v); !slices.Equal(got, want) {
		t.Errorf("Argv = %q, want %q", got, want)
	}
	if tm.Program() != "zeek" {
		t.Errorf("Program = %q", tm.Program())
	}
	sh, err := ParseTemplate("tcpdump -r {fifo} -w - | gzip > {dir}/out.gz", true)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"sh", "-c", `tcpdump -r '/tmp/it'\''s/w-0.fifo' -w - | gzip > '/w 0'/out.gz`}
	if got := sh.Argv(v); !slices.Equal(got, want) || sh.Program() != "sh" {
		t.Errorf("shell Argv = %q, want %q", got, want)
	}
	for _, bad := range []string{"", "   ", "zeek -r '{fifo}"} {
		if _, err := ParseTemplate(bad, false); err == nil {
			t.Errorf("ParseTemplate(%q): no error", bad)
		}
	}
}

// TestTemplateShellValue: under --shell a hostile value stays one argument.
func TestTemplateShellValue(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	tm, _ := ParseTemplate("printf '%s|' {fifo} {dir}", true)
	argv := tm.Argv(Vars{FIFO: "a b;$(echo x)'q", Dir: "*"})
	out, err := exec.Command(argv[0], argv[1:]...).Output()
	if err != nil || string(out) != "a b;$(echo x)'q|*|" {
		t.Errorf("sh ran %q: %q, %v", argv[2], out, err)
	}
}
