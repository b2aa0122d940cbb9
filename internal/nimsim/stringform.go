package nimsim

import (
	"encoding/json"
	"strings"
)

// stringFormFields are the chatroom answer fields Config.JSONStringAnswers
// sends as JSON strings holding their JSON: those the vendor's official Go
// SDK decodes only in that form (api-facts), and delayInfo, which 003's
// answer table types "String" although its example shows an object. A dotted
// path names a field inside an object-valued field.
var stringFormFields = map[string][]string{
	"chatroom/getBatch":               {"succRooms", "noExistRooms", "failRooms"},
	"chatroom/membersByPage":          {"desc"},
	"chatroom/queryMembers":           {"desc"},
	"chatroom/queryUserRoomIds":       {"desc.roomids"},
	"chatroom/create":                 {"chatroom.delayInfo"},
	"chatroom/get":                    {"chatroom.delayInfo"},
	"chatroom/update":                 {"chatroom.delayInfo"},
	"chatroom/updateDelayClosePolicy": {"chatroom.delayInfo"},
	"chatroom/toggleCloseStat":        {"desc.delayInfo"},
}

// stringForm rewrites a success answer in place for Config.JSONStringAnswers.
// Chatroom endpoints: the fields of stringFormFields. QChat endpoints: every
// top-level field whose value is an array or an object (serverInfo,
// serverInfos, channelInfos, identify, identifies, members, serverMembers,
// pageInfo, successAccids, ...). No SDK covers QChat, so nothing says which
// form it uses; answering all of them as strings lets a client prove that it
// reads every one in both forms. auths is a JSON string in both modes (001).
func stringForm(endpoint string, body obj) {
	if strings.HasPrefix(endpoint, "qchat/") {
		for k, v := range body {
			if s, ok := jsonText(v); ok {
				body[k] = s
			}
		}
		return
	}
	for _, path := range stringFormFields[endpoint] {
		m := body
		parts := strings.Split(path, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(obj)
			if !ok {
				m = nil
				break
			}
			m = next
		}
		last := parts[len(parts)-1]
		if v, ok := m[last]; ok { // reading a nil map is fine
			if s, ok := jsonText(v); ok {
				m[last] = s
			}
		}
	}
}

// jsonText is v's JSON when it is an array or an object.
func jsonText(v any) (string, bool) {
	b, err := json.Marshal(v)
	if err != nil || len(b) == 0 || (b[0] != '[' && b[0] != '{') {
		return "", false
	}
	return string(b), true
}
