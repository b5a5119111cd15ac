// A Go client for test/system/go-tls.spec.ts: 3 requests one after another to KEEPALIVE_URL
// over HTTPS. Go's DefaultClient offers ALPN h2 and trusts the test CA through SSL_CERT_FILE;
// with the argument "transport", the requests go through a hand-made Transport whose
// TLSClientConfig trusts the CA in KEEPALIVE_CA: such a Transport offers no ALPN, so it speaks
// HTTP/1.1 without a word (CLIENTS.md).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	url := os.Getenv("KEEPALIVE_URL")
	client := http.DefaultClient
	if len(os.Args) > 1 && os.Args[1] == "transport" {
		pem, err := os.ReadFile(os.Getenv("KEEPALIVE_CA"))
		if err != nil {
			panic(err)
		}
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(pem)
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	}
	for i := 0; i < 3; i++ {
		res, err := client.Get(url)
		if err != nil {
			panic(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		fmt.Fprintln(os.Stderr, res.Proto)
	}
}
