package state

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
)

// FileHash is one entry of the file-hash cache: the MD5 of the file at Path (an absolute path)
// as it was when its Lstat gave Size, the times and Inode, with the loader's other facts about
// it. An entry is valid only while a new Lstat of Path gives the same values.
type FileHash struct {
	Path string
	Size int64
	// ModTimeNS and ChangeTimeNS are Unix nanoseconds; ChangeTimeNS and Inode are 0 where the
	// OS has none.
	ModTimeNS, ChangeTimeNS int64
	Inode                   uint64
	// MD5 is the lowercase hex MD5 of the file ("" when only its header was read).
	MD5 string
	// Facts is the loader's own record of the file's header (JSON); the state does not read it.
	Facts string
}

// FileHashes returns the cached entries of every file under dir (an absolute folder), by path.
func (s *Store) FileHashes(ctx context.Context, dir string) (map[string]FileHash, error) {
	lo, hi := under(dir)
	rows, err := s.db.QueryContext(ctx, `SELECT path, size, mtime_ns, ctime_ns, inode, md5, facts
		FROM file_hashes WHERE path >= ? AND path < ?`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("read file hashes: %w", err)
	}
	defer rows.Close()
	out := map[string]FileHash{}
	for rows.Next() {
		var h FileHash
		var inode int64
		if err := rows.Scan(&h.Path, &h.Size, &h.ModTimeNS, &h.ChangeTimeNS, &inode, &h.MD5, &h.Facts); err != nil {
			return nil, fmt.Errorf("read file hashes: %w", err)
		}
		h.Inode = uint64(inode)
		out[h.Path] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read file hashes: %w", err)
	}
	return out, nil
}

// SaveFileHashes stores put, replacing the entries of the same paths, and deletes the entries
// of the paths in drop (files that vanished), in one transaction. On a read-only store it
// fails with ErrReadOnly.
func (s *Store) SaveFileHashes(ctx context.Context, put []FileHash, drop []string) error {
	if len(put) == 0 && len(drop) == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO file_hashes (path, size, mtime_ns, ctime_ns, inode, md5, facts, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
			ctime_ns = excluded.ctime_ns, inode = excluded.inode, md5 = excluded.md5,
			facts = excluded.facts, updated_at = excluded.updated_at`)
		if err != nil {
			return err
		}
		defer ins.Close()
		now := s.nowMS()
		for _, h := range put {
			if _, err := ins.ExecContext(ctx, h.Path, h.Size, h.ModTimeNS, h.ChangeTimeNS, int64(h.Inode), h.MD5, h.Facts, now); err != nil {
				return err
			}
		}
		del, err := tx.PrepareContext(ctx, `DELETE FROM file_hashes WHERE path = ?`)
		if err != nil {
			return err
		}
		defer del.Close()
		for _, p := range drop {
			if _, err := del.ExecContext(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write file hashes: %w", err)
	}
	return nil
}

// DropFileHashesUnder deletes the entries of every path inside dir (a collection folder that
// was deleted) and returns how many there were. On a read-only store it fails with
// ErrReadOnly.
func (s *Store) DropFileHashesUnder(ctx context.Context, dir string) (int64, error) {
	lo, hi := under(dir)
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM file_hashes WHERE path >= ? AND path < ?`, lo, hi)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("drop file hashes under %s: %w", dir, err)
	}
	return n, nil
}

// under returns the bounds of the paths inside dir: dir+sep ≤ path < dir+(sep+1).
func under(dir string) (lo, hi string) {
	dir = strings.TrimSuffix(dir, string(os.PathSeparator))
	return dir + string(os.PathSeparator), dir + string(rune(os.PathSeparator+1))
}
