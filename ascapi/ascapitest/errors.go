package ascapitest

import (
	"fmt"
	"net/http"
	"strconv"
)

// apiError is one element of Apple's ErrorResponse, with the HTTP status to answer.
type apiError struct {
	Status  int
	Code    string
	Title   string
	Detail  string
	Pointer string // source.pointer, optional
	Param   string // source.parameter, optional
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Detail) }

func (e *apiError) body() map[string]any {
	item := map[string]any{
		"id":     "sim-" + strconv.Itoa(e.Status) + "-" + e.Code,
		"status": strconv.Itoa(e.Status),
		"code":   e.Code,
		"title":  e.Title,
		"detail": e.Detail,
	}
	switch {
	case e.Pointer != "":
		item["source"] = map[string]any{"pointer": e.Pointer}
	case e.Param != "":
		item["source"] = map[string]any{"parameter": e.Param}
	}
	return map[string]any{"errors": []any{item}}
}

func errNotAuthorized() *apiError {
	return &apiError{Status: http.StatusUnauthorized, Code: "NOT_AUTHORIZED",
		Title:  "Authentication credentials are missing or invalid.",
		Detail: "Provide a properly configured and signed bearer token, and make sure that it has not expired. Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens"}
}

func errForbidden() *apiError {
	return &apiError{Status: http.StatusForbidden, Code: "FORBIDDEN_ERROR",
		Title:  "This request is forbidden for security reasons",
		Detail: "The API key in use does not allow this request"}
}

func errRateLimit() *apiError {
	return &apiError{Status: http.StatusTooManyRequests, Code: "RATE_LIMIT_EXCEEDED",
		Title:  "The request rate limit has been reached.",
		Detail: "We've received too many requests for this API key. Please wait and try again or slow down your request rate."}
}

func errNotFound(typ, id string) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: "NOT_FOUND",
		Title:  "The specified resource does not exist",
		Detail: fmt.Sprintf("There is no resource of type '%s' with id '%s'", typ, id)}
}

func errPathNotFound(path string) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: "NOT_FOUND",
		Title: "The specified resource does not exist", Detail: "The path provided does not match a defined resource type."}
}

func errMethod(method string) *apiError {
	return &apiError{Status: http.StatusMethodNotAllowed, Code: "METHOD_NOT_ALLOWED",
		Title: "The request method is not valid for the resource path.", Detail: "The request method '" + method + "' is not allowed."}
}

func errParam(param, detail string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "PARAMETER_ERROR.INVALID",
		Title: "A parameter has an invalid value", Detail: detail, Param: param}
}

func errUnprocessable(detail, pointer string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "ENTITY_UNPROCESSABLE",
		Title: "The request entity is not valid.", Detail: detail, Pointer: pointer}
}

func errState(detail string) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "STATE_ERROR",
		Title: "The request cannot be fulfilled because of the state of another resource.", Detail: detail}
}

func errAttrCannotEdit(attr string) *apiError {
	e := errState(fmt.Sprintf("Attribute '%s' cannot be edited at this time", attr))
	e.Pointer = "/data/attributes/" + attr
	return e
}

func errInvalidState(attr string) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE",
		Title:   "An attribute value is not valid in the current state.",
		Detail:  fmt.Sprintf("The field '%s' can not be modified in the current state.", attr),
		Pointer: "/data/attributes/" + attr}
}

func errTooLong(attr string, max int) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG",
		Title:   "An attribute value is too long.",
		Detail:  fmt.Sprintf("The value of '%s' is too long. Max number of characters is (%d)", attr, max),
		Pointer: "/data/attributes/" + attr}
}

func errTooShort(attr string, min int) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_SHORT",
		Title:   "An attribute value is too short.",
		Detail:  fmt.Sprintf("The value of '%s' is too short. Min number of characters is (%d)", attr, min),
		Pointer: "/data/attributes/" + attr}
}

func errInvalidAttr(attr, detail string) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.ATTRIBUTE.INVALID",
		Title: "An attribute value is invalid.", Detail: detail, Pointer: "/data/attributes/" + attr}
}

func errUnknownAttr(attr string) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.ATTRIBUTE.UNKNOWN",
		Title:   "The provided entity includes an unknown attribute",
		Detail:  fmt.Sprintf("'%s' is not a valid field name", attr),
		Pointer: "/data/attributes/" + attr}
}

func errRequired(attr string) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.ATTRIBUTE.REQUIRED",
		Title:   "The provided entity is missing a required attribute",
		Detail:  fmt.Sprintf("You must provide a value for the attribute '%s' with this request", attr),
		Pointer: "/data/attributes/" + attr}
}

func errDuplicateLocale(locale string) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE",
		Title:   "The provided entity includes an attribute with a value that has already been used",
		Detail:  fmt.Sprintf("Entity with locale: '%s' already exists. Try updating.", locale),
		Pointer: "/data/attributes/locale"}
}

func errRelationship(detail, rel string) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
		Title: "The provided entity includes a relationship with an invalid value", Detail: detail,
		Pointer: "/data/relationships/" + rel}
}

func errInternal() *apiError {
	return &apiError{Status: http.StatusInternalServerError, Code: "UNEXPECTED_ERROR",
		Title: "An unexpected error occurred.", Detail: "An unexpected error occurred on the server side. If this issue continues, contact us at https://developer.apple.com/contact/."}
}
