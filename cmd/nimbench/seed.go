package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// Seeding thousands of resources with `terraform apply` costs minutes of
// Terraform's own CPU, and seeding is not what is measured. So a workspace
// of n resources is seeded by applying its configuration with count = 1,
// which gives a state Terraform itself wrote, creating the other n-1
// objects directly through the API, and cloning the one instance of the
// state n times. The warm-up plan that follows must then find no changes:
// if the clones differed from what the provider reads, the bench fails.

// creator makes object i of a seeded workspace and returns its id.
type creator func(ctx context.Context, i int) (string, error)

// seedByCloning writes config(1), applies it, makes n-1 more objects with
// the creator that newCreator returns (nil for resources with no API object)
// and writes config(n) with a state of n instances.
func (b *bench) seedByCloning(s *sim, dir string, n int, config func(n int) string, newCreator func() (creator, error)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	one := config(1)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(one), 0o644); err != nil {
		return err
	}
	args := []string{"apply", "-auto-approve", "-input=false"}
	if strings.Contains(one, "nimtf/nim") {
		args = append(args, "-var", "rps=1000")
	}
	m, err := b.runTerraform(s, dir, "seed.log", args...)
	if err != nil {
		return err
	}
	if m.exitCode != 0 {
		return fmt.Errorf("seeding %s failed (exit %d); see %s", filepath.Base(dir), m.exitCode, filepath.Join(dir, "seed.log"))
	}
	create := func(context.Context, int) (string, error) { return "", nil }
	if newCreator != nil {
		if create, err = newCreator(); err != nil {
			return err
		}
	}
	ids := make([]string, n)
	errs := make([]error, n)
	work := make(chan int)
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				ids[i], errs[i] = create(context.Background(), i)
			}
		}()
	}
	for i := 1; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("seeding %s: %w", filepath.Base(dir), err)
	}
	if err := cloneState(filepath.Join(dir, "terraform.tfstate"), n, ids); err != nil {
		return fmt.Errorf("seeding %s: %w", filepath.Base(dir), err)
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config(n)), 0o644)
}

// cloneState turns the single instance of the single resource in a state
// file into n instances: instance i has index_key i, id ids[i] (or a made-up
// id when ids[i] is empty) and every string "room-0" replaced by "room-i".
//
// Terraform 1.12 and later also keep each instance's resource identity
// beside its attributes ("identity", with "identity_schema_version"). An
// identity attribute that holds the template's id (nim_chatroom's room_id)
// gets the clone's id: a clone carrying the identity of room 0 would make
// the provider's Read fail with an unexpected identity change.
func cloneState(path string, n int, ids []string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var st map[string]any
	if err := json.Unmarshal(data, &st); err != nil {
		return err
	}
	resources, _ := st["resources"].([]any)
	if len(resources) != 1 {
		return fmt.Errorf("want one resource in the seed state, found %d", len(resources))
	}
	res, _ := resources[0].(map[string]any)
	instances, _ := res["instances"].([]any)
	if len(instances) != 1 {
		return fmt.Errorf("want one instance in the seed state, found %d", len(instances))
	}
	tmpl, _ := instances[0].(map[string]any)
	tmplAttrs, _ := tmpl["attributes"].(map[string]any)
	tmplID, _ := tmplAttrs["id"].(string)
	out := make([]any, n)
	out[0] = tmpl
	for i := 1; i < n; i++ {
		inst, _ := replaceStrings(tmpl, "room-0", "room-"+strconv.Itoa(i)).(map[string]any)
		attrs, ok := inst["attributes"].(map[string]any)
		if !ok {
			return fmt.Errorf("the seed state's instance has no attributes")
		}
		inst["index_key"] = i
		id := ids[i]
		if id == "" {
			id = fmt.Sprintf("nimbench-%08d", i)
		}
		attrs["id"] = id
		if identity, ok := inst["identity"].(map[string]any); ok {
			for k, v := range identity {
				if v == tmplID && tmplID != "" {
					identity[k] = id
				}
			}
		}
		out[i] = inst
	}
	res["instances"] = out
	serial, _ := st["serial"].(float64)
	st["serial"] = serial + 1
	data, err = json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// replaceStrings returns a deep copy of v with every string equal to old
// replaced by repl.
func replaceStrings(v any, old, repl string) any {
	switch t := v.(type) {
	case string:
		if t == old {
			return repl
		}
		return t
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = replaceStrings(x, old, repl)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = replaceStrings(x, old, repl)
		}
		return s
	}
	return v
}

// chatroomCreator returns a function creating room i as nim_chatroom would
// from the template instance of dir's state (the defaults it applied).
func chatroomCreator(s *sim, dir string) (creator, error) {
	attrs, err := templateAttributes(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		return nil, err
	}
	str := func(k string) *string {
		v, _ := attrs[k].(string)
		return &v
	}
	levels := map[string]int{"anyone": 0, "managers": 1}
	level, ok := levels[*str("queue_level")]
	ionotify, ok2 := attrs["in_out_notification"].(bool)
	if !ok || !ok2 || attrs["delay_close"] != nil {
		return nil, fmt.Errorf("unexpected seed chatroom attributes %v", attrs)
	}
	c, err := client.New(nimsim.DefaultAppKey, nimsim.DefaultAppSecret, client.WithEndpoint(s.endpoint), client.WithRequestsPerSecond(0))
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, i int) (string, error) {
		room, err := c.Chatrooms.Create(ctx, &client.CreateChatroomRequest{
			Creator: *str("creator"), Name: "room-" + strconv.Itoa(i),
			Announcement: str("announcement"), BroadcastURL: str("broadcast_url"), Ext: str("ext"),
			QueueLevel: &level, InOutNotification: &ionotify,
		})
		if err != nil {
			return "", err
		}
		return strconv.FormatInt(room.ID, 10), nil
	}, nil
}

func templateAttributes(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st struct {
		Resources []struct {
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, err
	}
	if len(st.Resources) != 1 || len(st.Resources[0].Instances) != 1 {
		return nil, errors.New("want one resource instance in the seed state")
	}
	return st.Resources[0].Instances[0].Attributes, nil
}
