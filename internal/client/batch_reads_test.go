package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nimtf/terraform-provider-nim/internal/batch/batchtest"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// simEnv is a client in front of the simulator. wrap, when set, sees every
// request first and may answer it itself (returning true).
type simEnv struct {
	sim *nimsim.Server
	c   *Client

	mu      sync.Mutex
	batches [][]int64 // roomids of every getBatch request, in arrival order
	wrap    func(w http.ResponseWriter, endpoint string, form url.Values) bool
}

func newSimEnv(t *testing.T, opts ...Option) *simEnv {
	t.Helper()
	sim, err := nimsim.New(nimsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	e := &simEnv{sim: sim}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		endpoint := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, basePath+"/"), ".action")
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if endpoint == "chatroom/getBatch" {
			var ids []string
			_ = json.Unmarshal([]byte(form.Get("roomids")), &ids)
			var nums []int64
			for _, s := range ids {
				n, _ := strconv.ParseInt(s, 10, 64)
				nums = append(nums, n)
			}
			e.mu.Lock()
			e.batches = append(e.batches, nums)
			e.mu.Unlock()
		}
		e.mu.Lock()
		wrap := e.wrap
		e.mu.Unlock()
		if wrap != nil && wrap(w, endpoint, form) {
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	base := []Option{
		WithEndpoint(srv.URL + basePath),
		WithBackoff(0, 0),
		WithRequestsPerSecond(0),
	}
	c, err := New(nimsim.DefaultAppKey, nimsim.DefaultAppSecret, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	e.c = c
	return e
}

func (e *simEnv) calls(endpoint string) int64 { return e.sim.Stats().Requests[endpoint] }

// manualWindows makes every batch of c leave only when it is full or when the
// test ends its window.
func manualWindows(c *Client) *batchtest.Timers {
	m := &batchtest.Timers{}
	b := c.batch
	b.rooms.AfterFunc, b.rooms.Parallelism = m.After, batchtest.NoEarlySend
	b.servers.AfterFunc, b.servers.Parallelism = m.After, batchtest.NoEarlySend
	b.channels.AfterFunc, b.channels.Parallelism = m.After, batchtest.NoEarlySend
	b.serverRoles.AfterFunc, b.serverRoles.Parallelism = m.After, batchtest.NoEarlySend
	b.channelRoles.AfterFunc, b.channelRoles.Parallelism = m.After, batchtest.NoEarlySend
	return m
}

func createRooms(t *testing.T, c *Client, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		room, err := c.Chatrooms.Create(context.Background(), &CreateChatroomRequest{Creator: "host", Name: fmt.Sprint("room-", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = room.ID
	}
	return ids
}

type roomResult struct {
	id   int64
	room *Chatroom
	err  error
}

// getAll runs one Get per id concurrently and, once the batches that fill up
// have left and the rest wait in an open round, ends that round's window.
func getAll(t *testing.T, e *simEnv, timers *batchtest.Timers, ids []int64) map[int64]roomResult {
	t.Helper()
	results := make(chan roomResult, len(ids))
	for _, id := range ids {
		go func() {
			room, err := e.c.Chatrooms.Get(context.Background(), id)
			results <- roomResult{id, room, err}
		}()
	}
	full := len(ids) / MaxChatroomBatch
	rest := len(ids) % MaxChatroomBatch
	batchtest.WaitFor(t, "full batches sent and the rest waiting", func() bool {
		e.mu.Lock()
		sent := len(e.batches)
		e.mu.Unlock()
		return sent >= full && e.c.batch.rooms.Waiting(struct{}{}) == rest
	})
	if rest > 0 {
		timers.Fire()
	}
	out := map[int64]roomResult{}
	for range ids {
		r := <-results
		out[r.id] = r
	}
	return out
}

// 50 concurrent Gets are served by 3 getBatch calls (20, 20, 10); ids that do
// not exist are "not found" for their callers only.
func TestBatchedChatroomGets(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	timers := manualWindows(e.c)
	ids := createRooms(t, e.c, 45)
	for i := range 5 {
		ids = append(ids, int64(9_000_000+i)) // never created
	}

	res := getAll(t, e, timers, ids)
	for i, id := range ids {
		r := res[id]
		switch {
		case i < 45 && (r.err != nil || r.room.ID != id || r.room.Name != fmt.Sprint("room-", i) || r.room.Creator != "host"):
			t.Errorf("room %d: %+v, %v", id, r.room, r.err)
		case i >= 45 && !IsNotFound(r.err):
			t.Errorf("missing room %d: err %v, want IsNotFound", id, r.err)
		}
	}
	if got := e.calls("chatroom/getBatch"); got != 3 {
		t.Errorf("%d getBatch calls, want 3", got)
	}
	if got := e.calls("chatroom/get"); got != 0 {
		t.Errorf("%d get calls, want 0", got)
	}
	var sizes []int
	for _, b := range e.batches {
		sizes = append(sizes, len(b))
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{10, 20, 20}) {
		t.Errorf("batch sizes %v, want 10, 20, 20", sizes)
	}
}

// A batch that fails fails only the callers in it.
func TestBatchErrorIsolated(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	timers := manualWindows(e.c)
	ids := createRooms(t, e.c, 50)
	poison := strconv.FormatInt(ids[17], 10)
	e.wrap = func(w http.ResponseWriter, endpoint string, form url.Values) bool {
		if endpoint == "chatroom/getBatch" && strings.Contains(form.Get("roomids"), `"`+poison+`"`) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"code":403,"desc":"injected"}`)
			return true
		}
		return false
	}

	res := getAll(t, e, timers, ids)
	var failedBatch []int64
	for _, b := range e.batches {
		if slices.Contains(b, ids[17]) {
			failedBatch = b
		}
	}
	if len(failedBatch) == 0 {
		t.Fatal("no batch held the poisoned id")
	}
	failed := 0
	for _, id := range ids {
		r := res[id]
		if slices.Contains(failedBatch, id) {
			if ErrorCode(r.err) != CodeForbidden {
				t.Errorf("room %d in the failed batch: err %v, want code 403", id, r.err)
			}
			failed++
		} else if r.err != nil || r.room.ID != id {
			t.Errorf("room %d outside the failed batch: %v", id, r.err)
		}
	}
	if failed == len(ids) || failed == 0 {
		t.Errorf("%d of %d callers failed", failed, len(ids))
	}
}

// The batch call is retried like any read; every caller gets the answer.
func TestBatchRetried(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	timers := manualWindows(e.c)
	ids := createRooms(t, e.c, 5)
	var once sync.Once
	e.wrap = func(w http.ResponseWriter, endpoint string, _ url.Values) bool {
		busy := false
		if endpoint == "chatroom/getBatch" {
			once.Do(func() { busy = true })
		}
		if busy {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"code":503,"desc":"busy"}`)
		}
		return busy
	}
	res := getAll(t, e, timers, ids)
	for _, id := range ids {
		if res[id].err != nil {
			t.Errorf("room %d: %v", id, res[id].err)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.batches) != 2 || len(e.batches[0]) != 5 {
		t.Errorf("getBatch requests %v, want the 5 ids twice (one retry)", e.batches)
	}
}

// Rooms the answer lists under failRooms are read again on their own.
func TestBatchFailRoomsReadAlone(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var gets []string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		switch r.URL.Path {
		case basePath + "/chatroom/getBatch.action":
			writeJSON(w, `{"code":200,"succRooms":[{"roomid":1,"name":"one","valid":true,"creator":"c","ionotify":true}],"noExistRooms":[],"failRooms":[2,3,4]}`)
		case basePath + "/chatroom/get.action":
			mu.Lock()
			gets = append(gets, r.PostForm.Get("roomid"))
			mu.Unlock()
			switch r.PostForm.Get("roomid") {
			case "2":
				writeJSON(w, `{"code":200,"chatroom":{"roomid":2,"name":"two"}}`)
			case "3":
				writeJSON(w, `{"code":404,"desc":"chatroom not exist"}`)
			default:
				writeJSON(w, `{"code":403,"desc":"no"}`)
			}
		default:
			t.Errorf("unexpected %s", r.URL.Path)
		}
	})
	timers := manualWindows(e.c)
	type res struct {
		room *Chatroom
		err  error
	}
	out := make([]chan res, 5)
	for id := int64(1); id <= 4; id++ {
		out[id] = make(chan res, 1)
		go func() {
			room, err := e.c.Chatrooms.Get(context.Background(), id)
			out[id] <- res{room, err}
		}()
	}
	batchtest.WaitFor(t, "4 waiters", func() bool { return e.c.batch.rooms.Waiting(struct{}{}) == 4 })
	timers.Fire()
	r1, r2, r3, r4 := <-out[1], <-out[2], <-out[3], <-out[4]
	if r1.err != nil || r1.room.Name != "one" {
		t.Errorf("room 1: %+v, %v", r1.room, r1.err)
	}
	if r2.err != nil || r2.room.Name != "two" {
		t.Errorf("room 2: %+v, %v", r2.room, r2.err)
	}
	if !IsNotFound(r3.err) {
		t.Errorf("room 3: %v, want IsNotFound", r3.err)
	}
	if ErrorCode(r4.err) != CodeForbidden {
		t.Errorf("room 4: %v, want its own 403", r4.err)
	}
	slices.Sort(gets)
	if !slices.Equal(gets, []string{"2", "3", "4"}) {
		t.Errorf("single gets %v, want 2, 3, 4", gets)
	}
}

// A read that starts after a write sees the write: nothing outlives a batch.
func TestBatchedReadAfterWrite(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	ctx := context.Background()
	ids := createRooms(t, e.c, 1)
	room, err := e.c.Chatrooms.Get(ctx, ids[0])
	if err != nil || room.Name != "room-0" {
		t.Fatalf("first read: %+v, %v", room, err)
	}
	name := "renamed"
	if err := e.c.Chatrooms.Update(ctx, &UpdateChatroomRequest{ID: ids[0], Name: &name}); err != nil {
		t.Fatal(err)
	}
	room, err = e.c.Chatrooms.Get(ctx, ids[0])
	if err != nil || room.Name != name {
		t.Errorf("read after the write: %+v, %v; want name %q", room, err, name)
	}
	if got := e.calls("chatroom/getBatch"); got != 2 {
		t.Errorf("%d getBatch calls, want 2", got)
	}
}

// With batch reads off, every Get is its own chatroom/get.
func TestBatchReadsOff(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t, WithBatchReads(false))
	if e.c.batch != nil {
		t.Fatal("batchers set up with batch reads off")
	}
	ids := createRooms(t, e.c, 30)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.c.Chatrooms.Get(context.Background(), id); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got, batched := e.calls("chatroom/get"), e.calls("chatroom/getBatch"); got != 30 || batched != 0 {
		t.Errorf("%d get and %d getBatch calls, want 30 and 0", got, batched)
	}
}

// Concurrent QChat reads share getServers, getChannels and one role listing
// per server or channel.
func TestBatchedQChatReads(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	ctx := context.Background()
	srv, err := e.c.QChat.CreateServer(ctx, &CreateServerRequest{Owner: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	var channels []int64
	for i := range 30 {
		ch, err := e.c.QChat.CreateChannel(ctx, &CreateChannelRequest{ServerID: srv.ID, Operator: "owner", Name: ptr(fmt.Sprint("c", i))})
		if err != nil {
			t.Fatal(err)
		}
		channels = append(channels, ch.ID)
	}
	var roles []int64
	for i := range 5 {
		r, err := e.c.QChat.CreateServerRole(ctx, &CreateServerRoleRequest{ServerID: srv.ID, Operator: "owner", Name: fmt.Sprint("r", i)})
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, r.ID)
	}
	for _, ch := range channels[:2] {
		for _, role := range roles[:3] {
			if _, err := e.c.QChat.CreateChannelRole(ctx, &CreateChannelRoleRequest{ServerID: srv.ID, ChannelID: ch, ParentRoleID: role, Operator: "owner"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	timers := manualWindows(e.c)
	e.sim.ResetStats()

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	read := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil {
				errs <- err
			}
		}()
	}
	for _, id := range channels {
		read(func() error {
			ch, err := e.c.QChat.GetChannel(ctx, id)
			if err == nil && ch.ID != id {
				err = fmt.Errorf("channel %d answered for %d", ch.ID, id)
			}
			return err
		})
	}
	read(func() error {
		_, err := e.c.QChat.GetChannel(ctx, 5_999_999_999) // never created
		if !IsNotFound(err) {
			return fmt.Errorf("missing channel: %v, want IsNotFound", err)
		}
		return nil
	})
	for range 3 {
		read(func() error { _, err := e.c.QChat.GetServer(ctx, srv.ID); return err })
	}
	for range 10 {
		read(func() error {
			rs, err := e.c.QChat.ListServerRoles(ctx, srv.ID, "owner")
			if err == nil && len(rs) != 6 { // @everyone and 5 custom roles
				err = fmt.Errorf("%d server roles, want 6", len(rs))
			}
			return err
		})
	}
	for _, ch := range channels[:2] {
		for range 3 {
			read(func() error {
				rs, err := e.c.QChat.ListChannelRoles(ctx, srv.ID, ch, "owner")
				if err == nil && len(rs) < 3 {
					err = fmt.Errorf("%d channel roles in %d, want at least 3", len(rs), ch)
				}
				return err
			})
		}
	}
	b := e.c.batch
	batchtest.WaitFor(t, "every reader waiting", func() bool {
		return b.channels.Waiting(struct{}{}) == 31 && b.servers.Waiting(struct{}{}) == 3 &&
			b.serverRoles.Waiting(serverRolesKey{srv.ID, "owner"}) == 10 &&
			b.channelRoles.Waiting(channelRolesKey{srv.ID, channels[0], "owner"}) == 3 &&
			b.channelRoles.Waiting(channelRolesKey{srv.ID, channels[1], "owner"}) == 3
	})
	timers.Fire()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want := map[string]int64{
		"qchat/getChannels":             1,
		"qchat/getServers":              1,
		"qchat/getServerIdentifyPages":  1,
		"qchat/getChannelIdentifyPages": 2,
	}
	st := e.sim.Stats()
	for ep, n := range want {
		if st.Requests[ep] != n {
			t.Errorf("%s: %d calls, want %d", ep, st.Requests[ep], n)
		}
	}
	if st.Total != 5 {
		t.Errorf("%d calls in all, want 5: %v", st.Total, st.Requests)
	}
}

// A caller whose context is already done gets the context's error, wrapped.
func TestBatchedGetDoneContext(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.c.Chatrooms.Get(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if got := e.sim.Stats().Total; got != 0 {
		t.Errorf("%d calls, want 0", got)
	}
}
