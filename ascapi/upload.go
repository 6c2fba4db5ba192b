package ascapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Upload sends every operation's byte range of src, with exactly the operation's request
// headers and never the JWT, up to the upload concurrency at once. Each part is retried after
// a transport error or any non-2xx answer (parts may be re-sent until commit). The first part
// that still fails cancels the rest.
func (c *Client) Upload(ctx context.Context, ops []UploadOperation, src io.ReaderAt) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(c.uploadPar)
	for i, op := range ops {
		g.Go(func() error {
			if err := c.uploadPart(ctx, op, src); err != nil {
				return fmt.Errorf("upload part %d of %d: %w", i+1, len(ops), err)
			}
			return nil
		})
	}
	return g.Wait()
}

func (c *Client) uploadPart(ctx context.Context, op UploadOperation, src io.ReaderAt) error {
	if op.Length < 0 || op.Offset < 0 {
		return fmt.Errorf("bad range offset %d length %d", op.Offset, op.Length)
	}
	u, err := url.Parse(op.URL)
	if err != nil || !u.IsAbs() {
		return errors.New("upload operation has no absolute URL")
	}
	// The part is read from src as it is sent (a section, not a copy): memory does not grow
	// with the file. A short file fails the request with the reader's error.
	part := io.NewSectionReader(src, op.Offset, op.Length)
	method := op.Method
	if method == "" {
		method = http.MethodPut
	}
	var lastErr error
	for attempt := 0; attempt <= c.retries; attempt++ {
		if attempt > 0 {
			if err := c.sleep(ctx, c.backoff(attempt-1)); err != nil {
				return err
			}
		}
		lastErr = c.putOnce(ctx, method, u, op.RequestHeaders, part, attempt)
		if lastErr == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return lastErr
}

func (c *Client) putOnce(ctx context.Context, method string, u *url.URL, headers []HTTPHeader, part *io.SectionReader, attempt int) error {
	if _, err := part.Seek(0, io.SeekStart); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), io.NopCloser(part))
	if err != nil {
		return scrubError(err)
	}
	for _, h := range headers {
		req.Header.Set(h.Name, h.Value)
	}
	req.ContentLength = part.Size()
	req.GetBody = func() (io.ReadCloser, error) {
		return io.NopCloser(io.NewSectionReader(part, 0, part.Size())), nil
	}
	start := c.now()
	resp, err := c.upload.Do(req)
	info := RequestInfo{Method: method, Endpoint: "upload", Duration: c.now().Sub(start), Attempt: attempt, Upload: true, Bytes: part.Size()}
	if err != nil {
		info.Err = scrubError(err)
		c.observe(info)
		c.logger.DebugContext(ctx, "upload part", "url", redactURL(u), "error", info.Err)
		return info.Err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	info.StatusCode = resp.StatusCode
	c.observe(info)
	c.logger.DebugContext(ctx, "upload part", "url", redactURL(u), "status", resp.StatusCode, "bytes", part.Size(), "duration", info.Duration)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s %s: %s", method, redactURL(u), resp.Status)
	}
	return nil
}

// Download fetches a processed image through an ImageAsset.TemplateURL, filling {w}, {h} and
// {f} (e.g. "png"). The bytes are Apple's re-encoded render, never the uploaded file. The
// caller closes the body.
func (c *Client) Download(ctx context.Context, templateURL string, width, height int, format string) (io.ReadCloser, error) {
	raw := strings.NewReplacer("{w}", strconv.Itoa(width), "{h}", strconv.Itoa(height), "{f}", format).Replace(templateURL)
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return nil, fmt.Errorf("download: template URL is not an absolute URL")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("download: %w", scrubError(err))
	}
	resp, err := c.upload.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download: %w", scrubError(err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		resp.Body.Close()
		return nil, fmt.Errorf("download %s: %s", redactURL(u), resp.Status)
	}
	return resp.Body, nil
}
