package pluginserve

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestQuietLogEnv(t *testing.T) {
	const addr = "registry.terraform.io/nimtf/nim"
	quiet := []string{"TF_LOG_SDK=OFF", "TF_LOG_SDK_PROTO=OFF", "TF_LOG_SDK_FRAMEWORK=OFF", "TF_LOG_PROVIDER_NIM=OFF"}
	for _, tc := range []struct {
		name    string
		environ []string
		want    []string
	}{
		{"nothing asks for logs", []string{"HOME=/root", "PATH=/bin", "NIM_APP_KEY=k"}, quiet},
		{"empty TF_LOG is unset", []string{"TF_LOG=", "TF_LOG_PATH="}, quiet},
		{"TF_LOG", []string{"TF_LOG=TRACE"}, nil},
		{"TF_LOG lower case value", []string{"TF_LOG=debug"}, nil},
		{"TF_LOG_PROVIDER", []string{"TF_LOG_PROVIDER=INFO"}, nil},
		{"the provider's own variable", []string{"TF_LOG_PROVIDER_NIM=DEBUG"}, nil},
		{"the SDK's variable", []string{"TF_LOG_SDK_PROTO=TRACE"}, nil},
		{"a log file alone", []string{"TF_LOG_PATH=/tmp/tf.log"}, nil},
		{"OpenTofu's spelling", []string{"TOFU_LOG=TRACE"}, nil},
		{"the test framework's log path", []string{"TF_ACC_LOG_PATH=/tmp/acc.log"}, nil},
		{"a name that only contains TF_LOG", []string{"MY_TF_LOG=TRACE"}, quiet},
		{"any TF_LOG prefix counts", []string{"TF_LOG_CORE=TRACE"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := QuietLogEnv(tc.environ, addr)
			if !slices.Equal(got, tc.want) {
				t.Errorf("QuietLogEnv(%q) = %q, want %q", tc.environ, got, tc.want)
			}
		})
	}
}

func TestProviderLoggerName(t *testing.T) {
	for addr, want := range map[string]string{
		"registry.terraform.io/nimtf/nim":        "NIM",
		"nimtf/nim":                              "NIM",
		"registry.terraform.io/acme/my-provider": "MY_PROVIDER",
	} {
		if got := providerLoggerName(addr); got != want {
			t.Errorf("providerLoggerName(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestQuietLogsSetsTheSDKVariables checks the process environment after
// quietLogs, since that is what terraform-plugin-go reads on every request.
func TestQuietLogsSetsTheSDKVariables(t *testing.T) {
	vars := []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_NIM"}
	unsetLogVars := func() {
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			if strings.HasPrefix(k, "TF_LOG") || strings.HasPrefix(k, "TOFU_LOG") || strings.HasPrefix(k, "TF_ACC_LOG") {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
		}
		for _, k := range vars {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}

	t.Run("quiet", func(t *testing.T) {
		unsetLogVars()
		if err := quietLogs("registry.terraform.io/nimtf/nim"); err != nil {
			t.Fatal(err)
		}
		for _, k := range vars {
			if got := os.Getenv(k); got != "OFF" {
				t.Errorf("%s = %q, want OFF", k, got)
			}
		}
	})
	t.Run("asked for logs", func(t *testing.T) {
		unsetLogVars()
		t.Setenv("TF_LOG", "TRACE")
		if err := quietLogs("registry.terraform.io/nimtf/nim"); err != nil {
			t.Fatal(err)
		}
		for _, k := range vars {
			if got, ok := os.LookupEnv(k); ok {
				t.Errorf("%s = %q although TF_LOG is set; want it unset", k, got)
			}
		}
	})
}
