package e2e

import (
	"os"
	"testing"

	"talap/portal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }
