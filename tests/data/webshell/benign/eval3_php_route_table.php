<?php
// Front controller: routes map to controller methods defined in code.
$routes = array('GET /news' => array('NewsController', 'index'), 'GET /news/show' => array('NewsController', 'show'));
$key = $_SERVER['REQUEST_METHOD'] . ' ' . parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (!isset($routes[$key])) { http_response_code(404); exit; }
list($class, $method) = $routes[$key];
echo call_user_func_array(array(new $class(), $method), array($_GET));
