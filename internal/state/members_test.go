package state

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestInvitationIsSingleUseAndExpires(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	dir := t.TempDir()
	s := openStore(t, dir, c)
	const code, token = "invite-code-0123456789abcdef", "member-token-0123456789abcdef"
	inv := Invitation{App: "com.example.app", Email: "dana@example.com", Role: "designer", InvitedBy: "local", ExpiresAt: c.Now().Add(7 * 24 * time.Hour)}
	if err := s.AddInvitation(ctx, code, inv); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptInvitation(ctx, "wrong", "Dana", TokenAPI, token); !errors.Is(err, ErrInvitation) {
		t.Fatalf("a wrong code: %v, want ErrInvitation", err)
	}
	m, err := s.AcceptInvitation(ctx, code, " Dana ", TokenAPI, token)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Dana" || m.Role != "designer" || m.App != inv.App || m.Email != inv.Email {
		t.Errorf("member = %+v", m)
	}
	if _, err := s.AcceptInvitation(ctx, code, "Eve", TokenAPI, "another-token"); !errors.Is(err, ErrInvitation) {
		t.Fatalf("a used code: %v, want ErrInvitation", err)
	}
	got, err := s.MemberByToken(ctx, TokenAPI, token)
	if err != nil || got.ID != m.ID {
		t.Fatalf("MemberByToken = %+v, %v", got, err)
	}
	if _, err := s.MemberByToken(ctx, TokenSession, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("an API token used as a session: %v, want ErrNotFound", err)
	}

	// An expired invitation answers as an unknown one.
	if err := s.AddInvitation(ctx, "late-code", Invitation{App: inv.App, Role: "designer", InvitedBy: "local", ExpiresAt: c.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	if _, err := s.AcceptInvitation(ctx, "late-code", "Fay", TokenAPI, "t3"); !errors.Is(err, ErrInvitation) {
		t.Fatalf("an expired code: %v, want ErrInvitation", err)
	}

	// A taken name leaves the invitation open.
	if err := s.AddInvitation(ctx, "second", Invitation{App: inv.App, Role: "content-manager", InvitedBy: "local", ExpiresAt: c.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptInvitation(ctx, "second", "Dana", TokenAPI, "t4"); !errors.Is(err, ErrMemberExists) {
		t.Fatalf("a taken name: %v, want ErrMemberExists", err)
	}
	if _, err := s.AcceptInvitation(ctx, "second", "Gus", TokenAPI, "t4"); err != nil {
		t.Fatalf("the same invitation with a free name: %v", err)
	}

	// The secrets are not in the database file in clear.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{DBFile, DBFile + "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		for _, secret := range []string{code, token, "second", "t4"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds the secret %q in clear", f, secret)
			}
		}
	}
}

func TestRemoveMemberEndsTheirTokens(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	if err := s.AddInvitation(ctx, "code", Invitation{App: "a", Role: "designer", InvitedBy: "local", ExpiresAt: c.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	m, err := s.AcceptInvitation(ctx, "code", "Dana", TokenAPI, "api-token")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddMemberToken(ctx, m.ID, TokenSession, "session-token", c.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMemberRole(ctx, "a", "Dana", "content-manager"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MemberByToken(ctx, TokenSession, "session-token"); err != nil || got.Role != "content-manager" {
		t.Fatalf("session after set-role = %+v, %v", got, err)
	}
	if err := s.RemoveMember(ctx, "a", "Dana"); err != nil {
		t.Fatal(err)
	}
	for kind, tok := range map[string]string{TokenAPI: "api-token", TokenSession: "session-token"} {
		if _, err := s.MemberByToken(ctx, kind, tok); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s token after remove: %v, want ErrNotFound", kind, err)
		}
	}
	if err := s.RemoveMember(ctx, "a", "Dana"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing twice: %v, want ErrNotFound", err)
	}
	if ms, err := s.Members(ctx, ""); err != nil || len(ms) != 0 {
		t.Errorf("members after remove = %v, %v", ms, err)
	}
}

func TestHistoryByMember(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), newClock())
	for _, m := range []string{"local", "web", "Dana", "local"} {
		if _, err := s.AddHistory(ctx, HistoryEntry{App: "a", Key: "en-US/description", Action: "update", Result: "ok", Member: m}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.HistoryOf(ctx, HistoryFilter{Member: "local"}, 10, 0)
	if err != nil || len(got) != 2 || got[0].Member != "local" {
		t.Fatalf("history of local = %+v, %v", got, err)
	}
	if all, _ := s.History(ctx, "a", 10, 0); len(all) != 4 || all[1].Member != "Dana" {
		t.Errorf("history = %+v", all)
	}
}
