// Package transporterr classifies the errors of an HTTP attempt for the
// retry rules of both API clients: whether the request may have reached the
// server (a write that may have been applied is never blindly resent), and
// whether a retry could help at all. It also makes the HTTP transport both
// clients use, set up to make such errors rare.
package transporterr

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"syscall"
	"time"
)

// IdleConnTimeout is how long both clients keep an idle connection for
// reuse. It is below the keep-alive time servers commonly use (60 to 75 s;
// nimsim's is 60 s), so that a request is rarely sent on a connection the
// server is closing: for a write, the EOF that follows leaves the outcome
// unknown, which costs a look-up and a new request.
const IdleConnTimeout = 30 * time.Second

// Transport returns the transport of both API clients: a copy of
// http.DefaultTransport (so settings never leak into other users of the
// default) with IdleConnTimeout. A program that replaced the default with
// another RoundTripper gets that RoundTripper itself.
func Transport() http.RoundTripper {
	tr, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	tr = tr.Clone()
	tr.IdleConnTimeout = IdleConnTimeout
	return tr
}

// MaybeSent reports whether any byte of the request may have reached the
// server. getConn and gotConn are what the request's httptrace saw: with the
// standard transport no connection obtained means nothing was sent; with a
// transport that does not report the trace only dial errors count as "not
// sent".
func MaybeSent(err error, getConn, gotConn bool) bool {
	if getConn && !gotConn {
		return false
	}
	if gotConn {
		return true
	}
	return !IsDial(err)
}

// IsDial reports a failure to reach the server at all: a dial error, a DNS
// failure or a refused connection.
func IsDial(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// IsPermanent reports errors that no retry can fix (bad certificates and the
// like).
func IsPermanent(err error) bool {
	var (
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		certErr     x509.CertificateInvalidError
		verifyErr   *tls.CertificateVerificationError
		recordErr   tls.RecordHeaderError
	)
	return errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &certErr) ||
		errors.As(err, &verifyErr) || errors.As(err, &recordErr)
}
