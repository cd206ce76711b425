package mapfile

import (
	"testing"

	"go.uber.org/goleak"
)

// The pager is a goroutine: Close must end it.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
