<?php
/**
 * AJAX dispatcher. The action name selects a callback from a fixed whitelist;
 * no request value is ever used as a function name.
 */
require_once __DIR__ . '/bootstrap.php';

function action_list_news($p)  { return News::latest(isset($p['n']) ? (int)$p['n'] : 10); }
function action_get_news($p)   { return News::find((int)$p['id']); }
function action_ping($p)       { return array('pong' => time()); }

$actions = array(
    'list' => 'action_list_news',
    'get'  => 'action_get_news',
    'ping' => 'action_ping',
);

$action = isset($_GET['action']) ? (string)$_GET['action'] : 'ping';
header('Content-Type: application/json; charset=utf-8');
if (!array_key_exists($action, $actions)) {
    http_response_code(404);
    echo json_encode(array('error' => 'unknown action'));
    exit;
}
$result = call_user_func($actions[$action], $_GET);
echo json_encode($result);
