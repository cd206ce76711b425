package supervise

import "fmt"

// Restart says which workers that end before their input are started again.
type Restart int

const (
	// RestartOnFailure restarts a worker that ended with a non-zero status
	// or a signal (the default).
	RestartOnFailure Restart = iota
	// RestartAlways restarts a worker whatever its status.
	RestartAlways
	// RestartNever restarts no worker.
	RestartNever
)

var restartNames = [...]string{"on-failure", "always", "never"}

// ParseRestart parses "on-failure", "always" or "never".
func ParseRestart(s string) (Restart, error) {
	for i, n := range restartNames {
		if s == n {
			return Restart(i), nil
		}
	}
	return 0, fmt.Errorf("--restart %q: want on-failure, always or never", s)
}

func (r Restart) String() string {
	if r < 0 || int(r) >= len(restartNames) {
		return fmt.Sprintf("Restart(%d)", int(r))
	}
	return restartNames[r]
}
