<?php
if (!isset($_SERVER['PHP_AUTH_PW']) || !password_verify($_SERVER['PHP_AUTH_PW'], $hash)) {
    header('WWW-Authenticate: Basic realm="admin"');
    http_response_code(401);
    exit;
}
