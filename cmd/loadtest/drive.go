package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// cycle files one claim as virtual user w (seq numbers claims across users) and says how long the
// submit took and how long from submit until the claim was routed.
type cycle func(ctx context.Context, w, seq int) (submit, routed time.Duration, err error)

// load is how hard a mode is driven.
type load struct {
	concurrency int
	duration    time.Duration
	rate        float64 // claim starts per second across all users; 0: each starts its next at once
	docSize     int64
}

// drive runs cycles on concurrency virtual users until the window ends; a cycle started inside the
// window runs to its end. With a rate, a ticker hands out starts; a tick that finds every user busy
// is dropped and counted.
func drive(ctx context.Context, mode string, l load, run cycle) *result {
	r := &result{Mode: mode, Concurrency: l.concurrency, Duration: l.duration, Rate: l.rate, DocSize: l.docSize, ErrorKind: map[string]int{}}
	var mu sync.Mutex
	start := time.Now()
	deadline := start.Add(l.duration)
	window, cancelWindow := context.WithDeadline(ctx, deadline)
	defer cancelWindow()

	var starts chan struct{}
	if l.rate > 0 {
		starts = make(chan struct{}, l.concurrency)
		go func() {
			t := time.NewTicker(time.Duration(float64(time.Second) / l.rate))
			defer t.Stop()
			for {
				select {
				case <-window.Done():
					return
				case <-t.C:
					select {
					case starts <- struct{}{}:
					default:
						mu.Lock()
						r.Missed++
						mu.Unlock()
					}
				}
			}
		}()
	}

	progress := time.NewTicker(5 * time.Second)
	defer progress.Stop()
	go func() {
		for {
			select {
			case <-window.Done():
				return
			case <-progress.C:
				mu.Lock()
				fmt.Fprintf(os.Stderr, "[%s] %4.0fs routed=%d errors=%d\n", mode, time.Since(start).Seconds(), r.Completed, r.Errors)
				mu.Unlock()
			}
		}
	}()

	var seq atomic.Int64
	var wg sync.WaitGroup
	for w := range l.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for window.Err() == nil {
				if starts != nil {
					select {
					case <-starts:
					case <-window.Done():
						return
					}
				}
				sub, routed, err := run(ctx, w, int(seq.Add(1)))
				end := time.Now()
				mu.Lock()
				switch {
				case err != nil:
					r.Errors++
					r.ErrorKind[errorKey(err)]++
				default:
					r.Submit = append(r.Submit, sub)
					r.Routed = append(r.Routed, routed)
					if end.After(deadline) {
						r.Late++
					} else {
						r.Completed++
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r.finish()
	return r
}
