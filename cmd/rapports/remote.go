package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/rapports/rapports/server"
)

// serveFileName is the file a running "rapports serve" writes in its index
// folder to say where it listens. Bleve's lock is exclusive, so while serve
// holds the index, search and stats ask the server instead of opening it.
const serveFileName = "serve.json"

// Time limits of the talk with a running serve.
const (
	healthTimeout = 2 * time.Second // of the /healthz probe
	remoteTimeout = 2 * time.Minute // of a search or stats request
	// shortLockTimeout is how long search and stats wait for the index
	// lock when a live serve says it holds the index.
	shortLockTimeout = 200 * time.Millisecond
)

// serveInfo is the content of serveFileName.
type serveInfo struct {
	// URL is the server's base URL, ending in "/", on a loopback address.
	URL string `json:"url"`
	// PID is the serving process.
	PID int `json:"pid"`
	// Started is when it started listening.
	Started time.Time `json:"started"`
}

// loopbackURL returns the base URL at which a client on this machine
// reaches a server listening on addr: an unspecified address (0.0.0.0,
// ::) is reached at its loopback address.
func loopbackURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String() + "/"
	}
	ip := tcp.IP
	switch {
	case ip == nil || ip.Equal(net.IPv4zero):
		ip = net.IPv4(127, 0, 0, 1)
	case ip.Equal(net.IPv6unspecified):
		ip = net.IPv6loopback
	}
	return "http://" + net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port)) + "/"
}

// writeServeInfo writes info to serveFileName in dir atomically: readers
// see the whole file or none.
func writeServeInfo(dir string, info serveInfo) error {
	b, err := json.Marshal(info)
	if err != nil {
		return fmt.Errorf("write %s: %w", serveFileName, err)
	}
	f, err := os.CreateTemp(dir, "."+serveFileName+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", serveFileName, err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, serveFileName))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s in %s: %w", serveFileName, dir, err)
	}
	return nil
}

// removeServeInfo removes serveFileName from dir if process pid wrote it.
func removeServeInfo(dir string, pid int) error {
	info, err := readServeInfo(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && info.PID != pid {
		return nil // another serve's, since
	}
	if err := os.Remove(filepath.Join(dir, serveFileName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", serveFileName, err)
	}
	return nil
}

// readServeInfo reads serveFileName in dir; fs.ErrNotExist when absent.
func readServeInfo(dir string) (serveInfo, error) {
	var info serveInfo
	b, err := os.ReadFile(filepath.Join(dir, serveFileName))
	if err != nil {
		return info, err
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return info, fmt.Errorf("%s: %w", filepath.Join(dir, serveFileName), err)
	}
	return info, nil
}

// checkLoopback returns the base URL s if it is an http URL on a loopback
// IP address, and an error saying why not otherwise. Only such URLs are
// followed: a file in the index folder may not send queries elsewhere.
func checkLoopback(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", s, err)
	}
	if u.Scheme != "http" || u.User != nil || u.Port() == "" || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("URL %q is not of the form http://IP:PORT/", s)
	}
	ip := net.ParseIP(u.Hostname())
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("URL %q is not on a loopback address", s)
	}
	u.Path = "/"
	return u, nil
}

// findServer returns a client of the server that serveFileName in dir
// points to, when it is live: its process runs and its URL, on a loopback
// address, answers /healthz. Otherwise it returns an error saying why the
// file is ignored (fs.ErrNotExist when there is none).
func findServer(ctx context.Context, dir string) (*server.Client, error) {
	info, err := readServeInfo(dir)
	if err != nil {
		return nil, err
	}
	base, err := checkLoopback(info.URL)
	if err != nil {
		return nil, err
	}
	if info.PID <= 0 || !processAlive(info.PID) {
		return nil, fmt.Errorf("process %d of %s is gone", info.PID, info.URL)
	}
	c, err := server.NewClient(base.String(), &http.Client{
		Timeout: remoteTimeout,
		// Never leave the loopback address.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	})
	if err != nil {
		return nil, err
	}
	hctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	if err := c.Health(hctx); err != nil {
		return nil, err
	}
	return c, nil
}
