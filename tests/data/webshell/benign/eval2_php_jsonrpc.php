<?php
// JSON-RPC endpoint: the method must be on the service's whitelist.
$req = json_decode(file_get_contents('php://input'), true);
$allowed = array('listNews', 'getNews', 'search');
$svc = new NewsService();
if (!is_array($req) || !in_array($req['method'], $allowed, true)) {
    http_response_code(400);
    exit(json_encode(array('error' => 'unknown method')));
}
echo json_encode(array('result' => call_user_func_array(array($svc, $req['method']), (array) $req['params'])));
