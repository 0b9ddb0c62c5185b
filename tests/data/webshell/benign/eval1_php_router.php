<?php
// Maps ?page= to a whitelisted controller.
$routes = array('home' => 'HomeController', 'news' => 'NewsController');
$page = isset($_GET['page']) ? $_GET['page'] : 'home';
if (!isset($routes[$page])) { http_response_code(404); exit; }
$class = $routes[$page];
require __DIR__ . '/controllers/' . $class . '.php';
$c = new $class();
echo $c->handle($_GET);
