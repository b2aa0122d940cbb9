package simkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

// stateVersion is the version of the state file format; a file of another
// version is refused.
const stateVersion = 1

// stateFile is what a state file holds: JSON
// {"version":1,"counters":{...},"objects":{...}}.
type stateFile[C, O any] struct {
	Version  int `json:"version"`
	Counters C   `json:"counters"`
	Objects  O   `json:"objects"`
}

// StateFile is a simulator's state file: its counters C and objects O as
// JSON, written atomically after each change so that a restarted simulator
// finds what the last one had.
type StateFile[C, O any] struct {
	Name string // the simulator, first in errors and logs ("nimsim")
	Path string // "": no state file; Load finds nothing and saves do nothing
}

// Load reads the state file. found is false, with no error, when there is
// no file. Errors name Name and the file: unreadable, not JSON, or of a
// version other than 1.
func (f StateFile[C, O]) Load() (counters C, objects O, found bool, err error) {
	if f.Path == "" {
		return counters, objects, false, nil
	}
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return counters, objects, false, nil
	}
	if err != nil {
		return counters, objects, false, fmt.Errorf("%s: read state file: %w", f.Name, err)
	}
	var sf stateFile[C, O]
	if err := json.Unmarshal(b, &sf); err != nil {
		return counters, objects, false, fmt.Errorf("%s: parse state file %s: %w", f.Name, f.Path, err)
	}
	if sf.Version != stateVersion {
		return counters, objects, false, fmt.Errorf("%s: state file %s: unsupported version %d", f.Name, f.Path, sf.Version)
	}
	return sf.Counters, sf.Objects, true, nil
}

// Save writes the state that state returns now, atomically (a temporary file
// in the same directory, fsync, then rename over the old one), and reports
// a failure as "<Name>: saving state file: …". state is called only when
// there is a state file. The caller serialises saves (it holds its state
// lock), so each one is a consistent snapshot.
//
// It is meant for shutdown: every change is already saved when it happens
// (SaveOrLog), but a process stopping must not exit 0 with a state file it
// could not write.
func (f StateFile[C, O]) Save(state func() (C, O)) error {
	if err := f.write(state); err != nil {
		return fmt.Errorf("%s: saving state file: %w", f.Name, err)
	}
	return nil
}

// SaveOrLog is Save for the saves after each change, which can only log a
// failure.
func (f StateFile[C, O]) SaveOrLog(state func() (C, O)) {
	if err := f.write(state); err != nil {
		log.Printf("%s: saving state file: %v", f.Name, err)
	}
}

func (f StateFile[C, O]) write(state func() (C, O)) error {
	if f.Path == "" {
		return nil
	}
	c, o := state()
	b, err := json.Marshal(stateFile[C, O]{Version: stateVersion, Counters: c, Objects: o})
	if err != nil {
		return err
	}
	return WriteAtomic(f.Path, b)
}

// WriteAtomic writes b to path atomically: a temporary file in the same
// directory, fsync, then rename over the old one. On failure the temporary
// file is removed and path is untouched.
func WriteAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err = f.Write(b); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
