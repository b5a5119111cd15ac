// A Go client for test/cli/check.test.ts: 5 requests at once with the default client, then 5
// one after another; with the argument "new-clients", the 5 go each through a new Transport
// while the burst's connections sit idle in the default one.
package main

import (
	"io"
	"net/http"
	"os"
	"sync"
)

func get(client *http.Client, url string) {
	res, err := client.Get(url)
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
}

func main() {
	url := os.Getenv("KEEPALIVE_URL")
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); get(http.DefaultClient, url) }()
	}
	wg.Wait()
	for i := 0; i < 5; i++ {
		client := http.DefaultClient
		if len(os.Args) > 1 && os.Args[1] == "new-clients" {
			client = &http.Client{Transport: &http.Transport{}}
		}
		get(client, url)
	}
}
