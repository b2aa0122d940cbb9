package transporterr

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"
	"testing"
)

func TestMaybeSent(t *testing.T) {
	t.Parallel()
	dial := &net.OpError{Op: "dial", Err: errors.New("no route")}
	read := &net.OpError{Op: "read", Err: errors.New("reset")}
	cases := []struct {
		name             string
		err              error
		getConn, gotConn bool
		want             bool
	}{
		{"traced, no connection", read, true, false, false},
		{"traced, connection obtained", dial, true, true, true},
		{"untraced dial error", dial, false, false, false},
		{"untraced refused", fmt.Errorf("post: %w", syscall.ECONNREFUSED), false, false, false},
		{"untraced DNS failure", &net.DNSError{Err: "no such host"}, false, false, false},
		{"untraced read error", read, false, false, true},
	}
	for _, c := range cases {
		if got := MaybeSent(c.err, c.getConn, c.gotConn); got != c.want {
			t.Errorf("%s: MaybeSent = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestIsPermanent(t *testing.T) {
	t.Parallel()
	if !IsPermanent(fmt.Errorf("get: %w", x509.UnknownAuthorityError{})) {
		t.Error("an unknown certificate authority is not permanent")
	}
	if IsPermanent(syscall.ECONNRESET) {
		t.Error("a reset connection is permanent")
	}
}

func TestTransport(t *testing.T) {
	t.Parallel()
	rt := Transport()
	tr, ok := rt.(*http.Transport)
	if !ok {
		t.Fatalf("Transport() is a %T, want *http.Transport", rt)
	}
	if tr == http.DefaultTransport {
		t.Fatal("Transport() returned the default transport itself: settings would leak into other users")
	}
	if tr.IdleConnTimeout != IdleConnTimeout {
		t.Errorf("IdleConnTimeout = %v, want %v", tr.IdleConnTimeout, IdleConnTimeout)
	}
	if def, ok := http.DefaultTransport.(*http.Transport); ok && def.IdleConnTimeout == IdleConnTimeout {
		t.Errorf("the default transport's IdleConnTimeout was changed to %v", def.IdleConnTimeout)
	}
}
