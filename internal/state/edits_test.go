package state

import (
	"context"
	"testing"
	"time"
)

func TestEditor(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		notes map[string][]string // member → keys they wrote, in this order of members
		order []string
		take  []string
		want  string
	}{
		{"one member, every key", map[string][]string{"ana": {"de-DE/keyword", "ja/keyword"}}, []string{"ana"}, []string{"de-DE/keyword", "ja/keyword"}, "ana"},
		{"a key nobody wrote", map[string][]string{"ana": {"de-DE/keyword"}}, []string{"ana"}, []string{"de-DE/keyword", "ja/keyword"}, ""},
		{"two members", map[string][]string{"ana": {"de-DE/keyword"}, "ben": {"ja/keyword"}}, []string{"ana", "ben"}, []string{"de-DE/keyword", "ja/keyword"}, ""},
		{"the last writer counts", map[string][]string{"ana": {"ja/keyword"}, "ben": {"ja/keyword"}}, []string{"ana", "ben"}, []string{"ja/keyword"}, "ben"},
		{"nothing written", nil, nil, []string{"ja/keyword"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir, newClock())
			for _, m := range tt.order {
				if err := s.NoteEdits(ctx, "com.a", tt.notes[m], m); err != nil {
					t.Fatal(err)
				}
			}
			// Another app's record of the same key is its own.
			if err := s.NoteEdits(ctx, "com.b", []string{"ja/keyword"}, "cy"); err != nil {
				t.Fatal(err)
			}
			s.Close()
			s = openStore(t, dir, newClock()) // the records survive a restart
			got, asOf, err := s.Editor(ctx, "com.a", tt.take)
			if err != nil || got != tt.want {
				t.Errorf("Editor = %q, %v; want %q", got, err, tt.want)
			}
			if err := s.ForgetEdits(ctx, "com.a", tt.take, asOf); err != nil {
				t.Fatal(err)
			}
			for _, k := range tt.take {
				if got, _, _ := s.Editor(ctx, "com.a", []string{k}); got != "" {
					t.Errorf("Editor of %s after ForgetEdits = %q: the record was not deleted", k, got)
				}
			}
			if got, _, _ := s.Editor(ctx, "com.b", []string{"ja/keyword"}); got != "cy" {
				t.Errorf("the other app's editor = %q, want cy", got)
			}
		})
	}
}

// TestForgetEditsKeepsANewerEdit: an edit made while the push of an earlier one ran stays for
// its own push.
func TestForgetEditsKeepsANewerEdit(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	keys := []string{"ja/keyword"}
	if err := s.NoteEdits(ctx, "com.a", keys, "ana"); err != nil {
		t.Fatal(err)
	}
	_, asOf, err := s.Editor(ctx, "com.a", keys)
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	if err := s.NoteEdits(ctx, "com.a", keys, "ben"); err != nil {
		t.Fatal(err)
	}
	if err := s.ForgetEdits(ctx, "com.a", keys, asOf); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Editor(ctx, "com.a", keys); got != "ben" {
		t.Errorf("Editor = %q, want ben: the newer edit was forgotten", got)
	}
}
