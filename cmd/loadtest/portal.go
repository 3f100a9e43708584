package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"
)

// runPortal is portal mode: concurrency virtual citizens sign in once each (cycling over the
// citizen personas; users sharing a persona each have their own session), then each loops: create
// a complete claim, upload one generated PDF, submit, and poll until the claim is routed.
func runPortal(ctx context.Context, base, idp string, l load, routeTimeout time.Duration) (*result, error) {
	tr := newTransport(l.concurrency + 4)
	defer tr.CloseIdleConnections()
	iins, err := citizens(ctx, tr, idp)
	if err != nil {
		return nil, err
	}
	fx, err := loadFixture(ctx, tr, base)
	if err != nil {
		return nil, err
	}
	users := make([]*citizen, l.concurrency)
	errs := make([]error, l.concurrency)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			users[i], errs[i] = signIn(ctx, tr, base, iins[i%len(iins)])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(os.Stderr, "[portal] %d virtual citizens signed in over %d personas; %d respondents; running %s\n", len(users), min(len(iins), len(users)), len(fx.bins), l.duration)

	run := func(ctx context.Context, w, seq int) (time.Duration, time.Duration, error) {
		u := users[w]
		id, err := u.createClaim(ctx, fx.answers(seq))
		if err != nil {
			return 0, 0, err
		}
		if err := u.uploadDocument(ctx, id, l.docSize, int64(seq)*7919); err != nil {
			return 0, 0, err
		}
		t0 := time.Now()
		if err := u.submit(ctx, id); err != nil {
			return 0, 0, err
		}
		submit := time.Since(t0)
		if err := u.waitRouted(ctx, id, routeTimeout); err != nil {
			return 0, 0, err
		}
		return submit, time.Since(t0), nil
	}
	return drive(ctx, "portal", l, run), nil
}
