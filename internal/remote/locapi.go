package remote

import (
	"context"

	"github.com/storesyncer/storesyncer/ascapi"
)

// localization is one localization as a locale's attributes (set ones only, normalized).
type localization struct {
	id    string
	attrs map[string]string
}

// locAPI is what Apply needs of one localization resource type under one parent.
type locAPI interface {
	list(ctx context.Context) (map[string]localization, error)
	create(ctx context.Context, locale string, fields map[string]string) (string, error)
	update(ctx context.Context, id string, fields map[string]string) error
	remove(ctx context.Context, id string) error
}

func strp(fields map[string]string, attr string) *string {
	if v, ok := fields[attr]; ok {
		return &v
	}
	return nil
}

func setAttrs(m map[string]string, pairs map[string]*string) {
	for k, v := range pairs {
		if v != nil {
			if t := normalize(*v); t != "" {
				m[k] = t
			}
		}
	}
}

// versionLocs are the appStoreVersionLocalizations of one version.
type versionLocs struct {
	c         *ascapi.Client
	versionID string
}

var _ locAPI = versionLocs{}

func versionAttrs(locale string, f map[string]string) ascapi.VersionLocalizationAttributes {
	return ascapi.VersionLocalizationAttributes{Locale: locale, Description: strp(f, "description"),
		Keywords: strp(f, "keywords"), WhatsNew: strp(f, "whatsNew"), PromotionalText: strp(f, "promotionalText"),
		MarketingURL: strp(f, "marketingUrl"), SupportURL: strp(f, "supportUrl")}
}

func (v versionLocs) list(ctx context.Context) (map[string]localization, error) {
	ls, _, err := v.c.VersionLocalizations.List(ctx, v.versionID)
	if err != nil {
		return nil, err
	}
	out := map[string]localization{}
	for _, l := range ls {
		a := l.VersionLocalizationAttributes
		m := map[string]string{}
		setAttrs(m, map[string]*string{"description": a.Description, "keywords": a.Keywords, "whatsNew": a.WhatsNew,
			"promotionalText": a.PromotionalText, "marketingUrl": a.MarketingURL, "supportUrl": a.SupportURL})
		out[l.Locale] = localization{id: l.ID, attrs: m}
	}
	return out, nil
}

func (v versionLocs) create(ctx context.Context, locale string, f map[string]string) (string, error) {
	l, _, err := v.c.VersionLocalizations.Create(ctx, v.versionID, versionAttrs(locale, f))
	if err != nil {
		return "", err
	}
	return l.ID, nil
}

func (v versionLocs) update(ctx context.Context, id string, f map[string]string) error {
	_, _, err := v.c.VersionLocalizations.Update(ctx, id, versionAttrs("", f))
	return err
}

func (v versionLocs) remove(ctx context.Context, id string) error {
	_, err := v.c.VersionLocalizations.Delete(ctx, id)
	return err
}

// infoLocs are the appInfoLocalizations of one appInfo.
type infoLocs struct {
	c         *ascapi.Client
	appInfoID string
}

var _ locAPI = infoLocs{}

func infoAttrs(locale string, f map[string]string) ascapi.AppInfoLocalizationAttributes {
	return ascapi.AppInfoLocalizationAttributes{Locale: locale, Name: strp(f, "name"), Subtitle: strp(f, "subtitle"),
		PrivacyPolicyURL: strp(f, "privacyPolicyUrl")}
}

func (i infoLocs) list(ctx context.Context) (map[string]localization, error) {
	ls, _, err := i.c.AppInfoLocalizations.List(ctx, i.appInfoID)
	if err != nil {
		return nil, err
	}
	out := map[string]localization{}
	for _, l := range ls {
		a := l.AppInfoLocalizationAttributes
		m := map[string]string{}
		setAttrs(m, map[string]*string{"name": a.Name, "subtitle": a.Subtitle, "privacyPolicyUrl": a.PrivacyPolicyURL})
		out[l.Locale] = localization{id: l.ID, attrs: m}
	}
	return out, nil
}

func (i infoLocs) create(ctx context.Context, locale string, f map[string]string) (string, error) {
	l, _, err := i.c.AppInfoLocalizations.Create(ctx, i.appInfoID, infoAttrs(locale, f))
	if err != nil {
		return "", err
	}
	return l.ID, nil
}

func (i infoLocs) update(ctx context.Context, id string, f map[string]string) error {
	_, _, err := i.c.AppInfoLocalizations.Update(ctx, id, infoAttrs("", f))
	return err
}

func (i infoLocs) remove(ctx context.Context, id string) error {
	_, err := i.c.AppInfoLocalizations.Delete(ctx, id)
	return err
}
