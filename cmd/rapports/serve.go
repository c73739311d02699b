package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/corpus/sample"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// Timeouts of the HTTP server.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 30 * time.Second // at least; more when --timeout asks for it
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = stopGrace - time.Second // within main's grace
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve the search page and the JSON API",
		UsageText: `rapports serve [--index DIR] [--addr 127.0.0.1:8080] [--timeout 10s] [--sample]
          [--watch DIR [--interval 2s] [--watch-poll] [--token-file FILE]] [--cors ORIGIN]...

rapports serve                          # then open http://127.0.0.1:8080/
rapports serve --cors https://carto.example.org --cors http://localhost:3000
rapports serve --index ./mon-index --addr 127.0.0.1:9000
(umask 077; openssl rand -hex 16 > ~/.rapports-token)
rapports serve --index ./mon-index --watch ~/rapports --token-file ~/.rapports-token
curl 'http://127.0.0.1:8080/api/search?q=arm%C3%A9e&country=FR'`,
		Description: `Serves the search page at / and the JSON API under /api/ (search, export,
documents, stats, analyze, version; described at /api/openapi.json) and
/healthz, and prints the URL. Listens on 127.0.0.1 only unless --addr says
otherwise. Answers are gzipped for clients that accept it. Web pages of other
origins may call the API only when --cors names them. Stops gracefully on
Ctrl-C or SIGTERM.

While it runs, it holds the index: "rapports search" and "rapports stats" on
the same index ask it over HTTP (it writes its URL to serve.json in the index
folder), and "rapports index" fails: use --watch to keep the index up to date.

With no index yet at the default place (no --index), it first builds one from
the sample corpus embedded in the binary (40+ French reports), so that a first
"rapports serve" answers searches at once. --sample does the same for an empty
index given with --index.`,
		Flags: append([]cli.Flag{
			indexFlag(),
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "listen on `HOST:PORT` (port 0: any free port)"},
			&cli.DurationFlag{Name: "timeout", Value: server.DefaultSearchTimeout, Usage: "give up a search after `DURATION`"},
			&cli.BoolFlag{Name: "sample", Usage: "index the embedded sample corpus when the index is empty"},
			&cli.StringSliceFlag{Name: "cors", Usage: "let the web pages of `ORIGIN` (scheme://host[:port], or * for any) call the API from a browser; repeat for several (default: none)"},
		}, watchFlags()...),
		Action: runServe,
	}
}

func runServe(c *cli.Context) error {
	ctx := c.Context
	log := logger(c)
	memLimit := tuneServeGC()
	go releaseMemory(ctx, releaseEvery)
	dir, isDefault, err := indexDir(c)
	if err != nil {
		return err
	}
	idx, err := openIndex(ctx, dir, false)
	if err != nil {
		return err
	}
	defer func() {
		if err := idx.Close(); err != nil {
			log.Error("close index", "index", dir, "err", err)
		}
	}()

	st, err := idx.Stats(ctx)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if st.Documents == 0 && (isDefault || c.Bool("sample")) {
		log.Info("no index yet: building one from the sample corpus embedded in the binary", "index", dir)
		opts, prog := indexOptions(c, log)
		stats, err := idx.AddFS(ctx, sample.Files(), sampleRoot, opts)
		prog.finish()
		if err != nil {
			return fmt.Errorf("serve: index the sample corpus: %w", err)
		}
		if stats.Canceled {
			return cli.Exit("interrupted while indexing the sample corpus", exitInterrupted)
		}
		log.Info("sample corpus indexed", "added", stats.Added, "failed", stats.Failed,
			"duration", stats.Duration.Round(time.Millisecond))
		if len(stats.Problems) > 0 {
			log.Warn("sample corpus problems (rerun with --verbose to list them)", "count", len(stats.Problems))
		}
		for _, p := range stats.Problems {
			log.Debug("sample corpus problem", "problem", p.Error())
		}
	} else if st.Documents == 0 {
		log.Warn("the index is empty: fill it with \"rapports index --index DIR PATH...\", or serve the sample corpus with --sample", "index", dir)
	} else {
		log.Info("index opened", "index", dir, "documents", st.Documents)
		go warmUp(ctx, idx, dir, log)
	}

	origins, err := corsOrigins(c.StringSlice("cors"))
	if err != nil {
		return usageError(c, "serve: %v", err)
	}
	ln, err := net.Listen("tcp", c.String("addr"))
	if err != nil {
		return fmt.Errorf("serve: listen: %w", err)
	}
	opts := server.Options{SearchTimeout: c.Duration("timeout"), CORSOrigins: origins}
	stopWatch, err := startWatching(c, idx, &opts, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopWatch()
	unused := &unusedConns{}
	srv := &http.Server{
		Handler:           server.New(idx, opts, log.With("component", "http")),
		ConnState:         unused.track,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      max(writeTimeout, c.Duration("timeout")+readTimeout),
		IdleTimeout:       idleTimeout,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	url := "http://" + ln.Addr().String() + "/"
	log.Info("listening", "url", url, "memory_limit_mib", memLimit>>20, "expensive_searches", index.DefaultExpensive())
	// Tell search and stats, which cannot open the index while it is
	// held, where to ask instead.
	pid := os.Getpid()
	if err := writeServeInfo(dir, serveInfo{URL: loopbackURL(ln.Addr()), PID: pid, Started: time.Now().UTC()}); err != nil {
		log.Warn("search and stats on this index will not find the server", "err", err)
	}
	defer func() {
		if err := removeServeInfo(dir, pid); err != nil {
			log.Warn("serve file", "err", err)
		}
	}()
	fmt.Fprintf(c.App.Writer, "rapports: serving %s on %s\n", dir, url)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := removeServeInfo(dir, pid); err != nil {
		log.Warn("serve file", "err", err)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := shutdown(sctx, srv, unused); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// warmUp runs one search with facets and highlighting as soon as the index
// is open, so that the first user's search does not pay for loading the
// index's files and statistics (74 ms on the 13,040-report TV-news index,
// against 2 ms for the next search).
//
// It runs in a goroutine of its own: a panic there would kill serve, so it
// is recovered and logged (the index guards its own Bleve calls; this is
// the last line).
func warmUp(ctx context.Context, idx *index.Index, dir string, log *slog.Logger) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("warm-up search failed", "panic", fmt.Sprint(r))
		}
	}()
	start := time.Now()
	_, err := idx.Search(ctx, index.Request{Query: "rapport", Highlight: true})
	if errors.Is(err, index.ErrDamaged) {
		log.Error("warm-up search: "+damagedMessage(dir, err), "took", time.Since(start))
		return
	}
	log.Debug("warm-up search", "took", time.Since(start), "err", err)
}

// corsOrigins checks the values of --cors: each is "*" or an origin,
// scheme://host[:port] with scheme http or https and nothing after.
func corsOrigins(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for o := range strings.SplitSeq(v, ",") {
			o = strings.TrimSpace(o)
			if o == "*" {
				out = append(out, o)
				continue
			}
			u, err := url.Parse(o)
			if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
				return nil, fmt.Errorf("--cors %q is not an origin (want scheme://host[:port], as https://example.org, or *)", o)
			}
			out = append(out, u.Scheme+"://"+strings.ToLower(u.Host))
		}
	}
	return out, nil
}
