package easemobsim

import (
	"cmp"
	"net/http"
	"slices"
)

// superAdminAdd: POST /chatrooms/super_admin {"superadmin": u} (one user).
// Adding one who already is: 400 forbidden_op (undocumented; refusing
// keeps a create from silently adopting an existing super admin).
func superAdminAdd(c *call) (*result, error) {
	u, _, err := c.str("superadmin", true)
	if err != nil {
		return nil, err
	}
	if u, err = c.user(u); err != nil {
		return nil, err
	}
	if _, ok := c.st.superAdmins[u]; ok {
		return nil, errf(http.StatusBadRequest, "forbidden_op", "user: %s is already a super admin", u)
	}
	c.st.superAdmins[u] = c.st.nextSeq()
	c.changed = true
	return &result{data: obj{"result": "success", "resource": ""}}, nil
}

// superAdminList: GET /chatrooms/super_admin?pagenum=&pagesize= (default
// 1 and 10, pagesize 1..1000) → ["u", ...] in the order added, params
// (the query as sent) and count.
func superAdminList(c *call) (*result, error) {
	us := sortedKeys(c.st.superAdmins)
	slices.SortFunc(us, func(a, b string) int { return cmp.Compare(c.st.superAdmins[a], c.st.superAdmins[b]) })
	from, to, err := c.pageNum(len(us), 10, 1)
	if err != nil {
		return nil, err
	}
	page := append([]string{}, us[from:to]...)
	res := &result{data: page, count: intp(len(page))}
	if len(c.query) > 0 {
		res.params = c.query
	}
	return res, nil
}

// superAdminRemove: DELETE /chatrooms/super_admin/{superAdmin}; one who is
// not a super admin: 404 (undocumented; "already gone" for a client).
func superAdminRemove(c *call) (*result, error) {
	u := fold(c.vars["username"])
	if _, ok := c.st.superAdmins[u]; !ok {
		return nil, errf(http.StatusNotFound, "resource_not_found", "user: %s is not a super admin", u)
	}
	delete(c.st.superAdmins, u)
	c.changed = true
	return &result{data: obj{"newSuperAdmin": u, "resource": ""}, props: true}, nil
}
