<?php
// Controller dispatch through reflection: only public methods ending in Action.
$controller = new ArticleController();
$action = preg_replace('/[^a-z]/', '', strtolower($_GET['a'] ?? 'index')) . 'Action';
$m = new ReflectionMethod($controller, method_exists($controller, $action) ? $action : 'indexAction');
echo $m->invokeArgs($controller, array($_GET));
